import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from convocation.meetings.demo import load_demo


@pytest.fixture(autouse=True)
def _english_until_told_otherwise():
    """A request leaves its language active in the thread; each test starts in English."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The default hasher costs about a second per login on this machine; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _background_work_runs_at_once(settings):
    # Tasks queued with transaction.on_commit run when the test's callbacks are executed
    # (django_capture_on_commit_callbacks); the database queue is tested on its own.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db):
    """The ATT demo: the CSP10 and CSP12 Working Group weeks, as `make demo` loads them."""
    return load_demo()


@pytest.fixture
def back_office(django_user_model) -> Client:
    """A superuser's client that gets the answer a browser would, a 500 included."""
    client = Client(raise_request_exception=False)
    client.force_login(
        django_user_model.objects.create_user(
            "officer", password="a-long-test-password", is_staff=True, is_superuser=True
        )
    )
    return client


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user(
        "officer", password="a-long-test-password", is_staff=True, is_superuser=True
    )
    client.force_login(user)
    return client
