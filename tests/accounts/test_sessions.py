"""The session and account read on every request (convocation.accounts.sessions)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone

from convocation.accounts.sessions import AccountBackend, SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back_and_an_expired_or_unknown_one_is_not():
    store = SessionStore()
    store["meeting"] = "att-csp12-wg"
    store.create()
    assert SessionStore(store.session_key)["meeting"] == "att-csp12-wg"

    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert "meeting" not in expired
    assert expired.session_key is None  # a new session is made, never the expired one
    assert "meeting" not in SessionStore("no-such-session-key-0123456789ab")


def test_the_account_of_a_request_is_read_by_id_and_an_inactive_one_is_not(django_user_model):
    ana = django_user_model.objects.create_user("ana@example.org", "ana@example.org")
    backend = AccountBackend()
    assert backend.get_user(str(ana.pk)) == ana
    assert backend.get_user(ana.pk + 1000) is None
    assert backend.get_user("not a number") is None
    ana.is_active = False
    ana.save()
    assert backend.get_user(ana.pk) is None


def test_a_signed_in_client_is_the_account_it_signed_in_as(client, django_user_model):
    ana = django_user_model.objects.create_user("ana@example.org", "ana@example.org")
    client.force_login(ana)
    request = RequestFactory().get("/")
    request.session = SessionStore(client.cookies["sessionid"].value)
    assert get_user(request) == ana
