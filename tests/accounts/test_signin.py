"""The rules of signing in by email, without a request or a database."""

import datetime as dt

import pytest

from convocation.accounts import signin
from convocation.accounts.signin import Refusal

SENT = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
EXPIRES = signin.expiry(SENT, 10)


def test_a_code_is_six_digits_and_varies():
    codes = {signin.new_code() for _ in range(50)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 40


def test_tokens_are_long_and_url_safe():
    token = signin.new_token()
    assert len(token) >= 43
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_code_hash_is_bound_to_its_address():
    stored = signin.code_hash("ana@example.org", "123456")
    assert "123456" not in stored
    assert signin.code_matches(stored, "ana@example.org", "123456")
    assert not signin.code_matches(stored, "ana@example.org", "123457")
    assert not signin.code_matches(stored, "bo@example.org", "123456")


def test_a_code_and_a_token_of_the_same_text_hash_apart():
    assert signin.code_hash("", "123456") != signin.token_hash("\n123456")


def test_the_hash_depends_on_the_secret_key(settings):
    before = signin.token_hash("abc")
    settings.SECRET_KEY = "another-secret-key-for-this-test"
    assert signin.token_hash("abc") != before


def test_addresses_are_compared_lowercased_and_trimmed():
    assert signin.normalise_email("  Ana.Ionescu@MAE.RO ") == "ana.ionescu@mae.ro"


def test_validity_ends_the_given_minutes_after_sending():
    assert signin.expiry(SENT, 10) - SENT == dt.timedelta(minutes=10)


@pytest.mark.parametrize(
    ("now", "used", "failed_attempts", "expected"),
    [
        (SENT, None, 0, None),
        (EXPIRES - dt.timedelta(seconds=1), None, 4, None),
        (EXPIRES, None, 0, Refusal.EXPIRED),
        (SENT, SENT, 0, Refusal.USED),
        (SENT, None, 5, Refusal.TOO_MANY_WRONG_CODES),
        # Used wins over expired: the more useful thing to be told.
        (EXPIRES + dt.timedelta(hours=1), SENT, 0, Refusal.USED),
    ],
)
def test_refusal_of_a_sign_in(now, used, failed_attempts, expected):
    refusal = signin.refusal(now=now, expires=EXPIRES, used=used, failed_attempts=failed_attempts)
    assert refusal is expected


@pytest.mark.parametrize(
    ("sent_to_address", "sent_to_client", "expected"),
    [(0, 0, False), (4, 19, False), (5, 0, True), (0, 20, True)],
)
def test_rate_limit_counts_the_last_hours_emails(sent_to_address, sent_to_client, expected):
    assert (
        signin.over_rate_limit(sent_to_address=sent_to_address, sent_to_client=sent_to_client)
        is expected
    )


@pytest.mark.parametrize(
    ("is_staff", "is_active", "expected"),
    [
        (False, True, None),
        (True, True, Refusal.SECRETARIAT),
        (True, False, Refusal.SECRETARIAT),
        (False, False, Refusal.DISABLED),
    ],
)
def test_account_refusal(is_staff, is_active, expected):
    assert signin.account_refusal(is_staff=is_staff, is_active=is_active) is expected


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/my/registrations/", "/my/registrations/"),
        ("/meetings/att-csp12-wg/?tab=1", "/meetings/att-csp12-wg/?tab=1"),
        (None, "/account/"),
        ("", "/account/"),
        ("https://evil.example/", "/account/"),
        ("//evil.example/", "/account/"),
        ("javascript:alert(1)", "/account/"),
        ("/\\evil.example/", "/account/"),
        ("abc", "/account/"),
        ("accounts:sign_in", "/account/"),
        ("my/registrations/", "/account/"),
    ],
)
def test_only_paths_of_this_site_are_followed_after_signing_in(candidate, expected):
    assert signin.safe_next(candidate, host="testserver", https=False) == expected
