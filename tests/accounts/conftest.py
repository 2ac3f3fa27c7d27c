import pytest

from tests.accounts.mailbox import Inbox


@pytest.fixture
def inbox():
    return Inbox()
