"""Delegates sign in with a code or a link sent by email."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.utils import timezone

from convocation.accounts.models import SignIn
from tests.accounts.mailbox import wrong
from tests.meetings.html import body_text

pytestmark = pytest.mark.django_db

ANA = "ana.ionescu@mae.ro"


def signed_in_as(client) -> str | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id).username if user_id else None


def ask(client, email=ANA, next_url=None, **extra):
    data = {"email": email} if next_url is None else {"email": email, "next": next_url}
    return client.post("/sign-in/", data, **extra)


@pytest.fixture
def later(monkeypatch):
    """Move the clock of the views forward by some minutes."""

    def move(minutes: int) -> None:
        moved = timezone.now() + dt.timedelta(minutes=minutes)
        monkeypatch.setattr(timezone, "now", lambda: moved)

    return move


# The code


def test_the_code_signs_a_new_delegate_in_with_an_account_without_password(client, inbox):
    response = ask(client, email="  Ana.Ionescu@MAE.ro ")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/code/"
    assert inbox.message.to == [ANA]
    assert inbox.message.subject == "Your sign-in code for convocation"
    assert inbox.message.from_email == "ATT Secretariat <info@thearmstradetreaty.org>"
    assert "for 10 minutes" in inbox.message.body

    page = client.get("/sign-in/code/")
    assert f"We sent a code and a link to <strong>{ANA}</strong>." in page.text

    response = client.post("/sign-in/code/", {"code": inbox.code})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert signed_in_as(client) == ANA
    user = User.objects.get(username=ANA)
    assert (user.email, user.is_staff, user.has_usable_password()) == (ANA, False, False)


def test_a_returning_delegate_signs_into_the_same_account(client, inbox):
    User.objects.create_user(username=ANA, email=ANA)
    ask(client)
    client.post("/sign-in/code/", {"code": inbox.code})
    assert signed_in_as(client) == ANA
    assert User.objects.count() == 1


def test_a_code_typed_with_spaces_is_accepted(client, inbox):
    ask(client)
    code = inbox.code
    client.post("/sign-in/code/", {"code": f" {code[:3]} {code[3:]} "})
    assert signed_in_as(client) == ANA


def test_only_hashes_of_the_code_and_the_link_are_stored(client, inbox):
    ask(client)
    record = SignIn.objects.get()
    token = inbox.link.split("/")[3]
    stored = [str(value) for value in record.__dict__.values()]
    assert not any(inbox.code in value or token in value for value in stored)
    assert len(record.code_hash) == len(record.token_hash) == 64


def test_the_validity_comes_from_the_setting(client, inbox, settings):
    settings.CONVOCATION_SIGN_IN_MINUTES = 3
    ask(client)
    record = SignIn.objects.get()
    assert record.expires - record.created == dt.timedelta(minutes=3)
    assert "for 3 minutes" in inbox.message.body


def test_an_expired_code_is_refused(client, inbox, later):
    ask(client)
    later(10)
    response = client.post("/sign-in/code/", {"code": inbox.code})
    assert response.status_code == 400
    assert "This code or link has expired. Ask for a new one." in body_text(response.text)
    assert signed_in_as(client) is None


def test_a_code_just_before_expiry_works(client, inbox, later):
    ask(client)
    later(9)
    client.post("/sign-in/code/", {"code": inbox.code})
    assert signed_in_as(client) == ANA


def test_a_code_works_once(client, inbox):
    ask(client)
    code = inbox.code
    client.post("/sign-in/code/", {"code": code})
    client.post("/sign-out/")
    # A new visit of the code page, in a fresh session that remembers the address.
    del client.cookies[settings.SESSION_COOKIE_NAME]
    session = client.session
    session["accounts:sign_in_email"] = ANA
    session.save()
    response = client.post("/sign-in/code/", {"code": code})
    assert response.status_code == 400
    assert "This code or link has already been used." in body_text(response.text)
    assert signed_in_as(client) is None


def test_the_link_dies_when_the_code_is_used(client, inbox):
    ask(client)
    link = inbox.link
    client.post("/sign-in/code/", {"code": inbox.code})
    client.post("/sign-out/")
    response = client.post(link)
    assert response.status_code == 400
    assert "already been used" in response.text
    assert signed_in_as(client) is None


def test_the_code_of_an_earlier_email_still_works(client, inbox):
    ask(client)
    first = inbox.code
    ask(client)
    assert len(mail.outbox) == 2
    client.post("/sign-in/code/", {"code": first})
    assert signed_in_as(client) == ANA


def test_four_wrong_codes_leave_the_right_one_working(client, inbox):
    ask(client)
    for _ in range(4):
        response = client.post("/sign-in/code/", {"code": wrong(inbox.code)})
        assert response.status_code == 400
        assert "That code is not right." in body_text(response.text)
    client.post("/sign-in/code/", {"code": inbox.code})
    assert signed_in_as(client) == ANA


def test_five_wrong_codes_kill_the_sign_in(client, inbox):
    ask(client)
    link = inbox.link
    for _ in range(5):
        client.post("/sign-in/code/", {"code": wrong(inbox.code)})
    response = client.post("/sign-in/code/", {"code": inbox.code})
    assert response.status_code == 400
    assert "Too many wrong codes were typed for this email." in body_text(response.text)
    assert client.post(link).status_code == 400
    assert signed_in_as(client) is None


def test_a_code_sent_to_another_address_does_not_sign_in(client, inbox):
    ask(client, email="someone.else@example.org")
    code = inbox.code
    ask(client)
    response = client.post("/sign-in/code/", {"code": code})
    assert response.status_code == 400
    assert signed_in_as(client) is None


# The link


def test_opening_the_link_does_not_use_it_pressing_the_button_does(client, inbox):
    ask(client)
    link = inbox.link
    for _ in range(2):  # a mail scanner, then the delegate
        page = client.get(link)
        assert page.status_code == 200
        assert '<button type="submit">Sign in</button>' in page.text
        assert signed_in_as(client) is None
    assert SignIn.objects.get().used is None

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert signed_in_as(client) == ANA


def test_a_link_works_once(client, inbox):
    ask(client)
    link = inbox.link
    client.post(link)
    client.post("/sign-out/")
    assert client.get(link).status_code == 400
    response = client.post(link)
    assert response.status_code == 400
    assert "This code or link has already been used." in body_text(response.text)
    assert signed_in_as(client) is None


def test_an_expired_link_is_refused(client, inbox, later):
    ask(client)
    later(11)
    page = client.get(inbox.link)
    assert page.status_code == 400
    assert "This code or link has expired." in body_text(page.text)
    assert "<button" not in page.text
    assert client.post(inbox.link).status_code == 400
    assert signed_in_as(client) is None


def test_the_link_works_in_another_browser(client, inbox):
    ask(client)
    other = Client()
    other.post(inbox.link)
    assert signed_in_as(other) == ANA


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 500])
def test_an_unknown_link_is_refused(client, token):
    for response in (client.get(f"/sign-in/link/{token}/"), client.post(f"/sign-in/link/{token}/")):
        assert response.status_code == 400
        assert "This sign-in link is not valid." in body_text(response.text)
    assert signed_in_as(client) is None


# Where to go next


def test_a_safe_next_is_kept_through_the_code_flow(client, inbox):
    response = ask(client, next_url="/my/registrations/")
    assert response["Location"] == "/sign-in/code/?next=%2Fmy%2Fregistrations%2F"
    page = client.get(response["Location"])
    assert '<input type="hidden" name="next" value="/my/registrations/">' in page.text
    assert '<a href="/sign-in/?next=%2Fmy%2Fregistrations%2F">No email?' in page.text
    response = client.post("/sign-in/code/", {"code": inbox.code, "next": "/my/registrations/"})
    assert response["Location"] == "/my/registrations/"


def test_a_safe_next_is_kept_in_the_link(client, inbox):
    ask(client, next_url="/my/registrations/")
    assert inbox.link.endswith("/?next=%2Fmy%2Fregistrations%2F")
    page = client.get(inbox.link)
    assert '<input type="hidden" name="next" value="/my/registrations/">' in page.text
    response = client.post(inbox.link)
    assert response["Location"] == "/my/registrations/"


def test_the_sign_in_page_carries_next_from_the_login_redirect(client):
    response = client.get("/account/")
    assert response["Location"] == "/sign-in/?next=/account/"
    page = client.get("/sign-in/?next=/my/registrations/")
    assert '<input type="hidden" name="next" value="/my/registrations/">' in page.text


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "abc"]
)
def test_an_unsafe_next_is_replaced_by_the_account_page(client, inbox, next_url):
    response = ask(client, next_url=next_url)
    assert response["Location"] == "/sign-in/code/"
    assert "evil" not in inbox.message.body
    response = client.post("/sign-in/code/", {"code": inbox.code, "next": next_url})
    assert response["Location"] == "/account/"


# Rate limits


def test_five_emails_an_hour_per_address(client, later):
    for _ in range(5):
        assert ask(client).status_code == 302
    response = ask(client)
    assert response.status_code == 429
    assert "Too many sign-in emails were asked for in the last hour." in body_text(response.text)
    assert len(mail.outbox) == 5
    assert ask(client, email="other@example.org").status_code == 302
    later(61)
    assert ask(client).status_code == 302
    assert len(mail.outbox) == 7


def test_the_address_limit_ignores_the_spelling(client):
    for spelling in ["ana.ionescu@mae.ro", "ANA.IONESCU@mae.ro", " Ana.Ionescu@Mae.Ro"] * 2:
        ask(client, email=spelling)
    assert len(mail.outbox) == 5


def test_twenty_emails_an_hour_per_client(client):
    for number in range(20):
        assert (
            ask(client, email=f"d{number}@example.org", REMOTE_ADDR="10.0.0.7").status_code == 302
        )
    response = ask(client, email="d20@example.org", REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 429
    assert "Too many sign-in emails" in response.text
    assert ask(client, email="d20@example.org", REMOTE_ADDR="10.0.0.8").status_code == 302
    assert len(mail.outbox) == 21


def test_a_mail_server_that_does_not_answer_is_said_plainly(client, settings):
    settings.EMAIL_BACKEND = "tests.accounts.mailbox.UnreachableMailServer"
    response = ask(client)
    assert response.status_code == 503
    assert "We could not send the email just now." in body_text(response.text)
    assert "accounts:sign_in_email" not in client.session


# Secretariat accounts


@pytest.mark.parametrize(
    ("username", "email"), [("officer", ANA), (ANA, ""), ("Ana.Ionescu@mae.ro", "")]
)
def test_a_secretariat_account_cannot_sign_in_by_email(client, inbox, username, email):
    User.objects.create_user(username, email=email, password="a-long-test-password", is_staff=True)
    # Asking looks the same as for anyone: the page does not tell who is staff.
    assert ask(client)["Location"] == "/sign-in/code/"
    response = client.post("/sign-in/code/", {"code": inbox.code})
    assert response.status_code == 403
    assert "Secretariat accounts cannot sign in by email." in body_text(response.text)
    assert '<a href="/admin/login/">Go to the Secretariat sign-in</a>' in response.text
    assert signed_in_as(client) is None
    assert User.objects.count() == 1


def test_a_secretariat_account_cannot_use_the_link(client, inbox):
    User.objects.create_user(ANA, email=ANA, is_staff=True)
    ask(client)
    response = client.post(inbox.link)
    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_a_disabled_account_cannot_sign_in(client, inbox):
    User.objects.create_user(ANA, email=ANA, is_active=False)
    ask(client)
    response = client.post("/sign-in/code/", {"code": inbox.code})
    assert response.status_code == 403
    assert "This account cannot sign in." in body_text(response.text)
    assert signed_in_as(client) is None


# Malformed requests


@pytest.mark.parametrize(
    "data", [{}, {"email": ""}, {"email": "not-an-address"}, {"email": "a@" + "b" * 200 + ".org"}]
)
def test_a_malformed_address_is_a_form_error(client, data):
    response = client.post("/sign-in/", data)
    assert response.status_code == 400
    assert '<div class="error-summary" role="alert"' in response.text
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert '<ul class="errorlist" id="id_email_error">' in response.text
    assert '<a href="#id_email">' in response.text
    assert mail.outbox == []
    assert SignIn.objects.count() == 0


@pytest.mark.parametrize("code", ["", "abcdef", "12345", "1234567", "1" * 100])
def test_a_malformed_code_is_a_form_error(client, inbox, code):
    ask(client)
    response = client.post("/sign-in/code/", {"code": code})
    assert response.status_code == 400
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.text
    # A malformed code is not a guess: it does not count as a wrong one.
    assert SignIn.objects.get().failed_attempts == 0


def test_the_code_page_without_an_address_sends_back_to_the_start(client):
    response = client.post("/sign-in/code/", {"code": "123456", "next": "/my/registrations/"})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Fmy%2Fregistrations%2F"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/sign-out/"), ("put", "/sign-in/"), ("delete", "/sign-in/code/")],
)
def test_wrong_methods_are_refused(client, method, path):
    assert getattr(client, method)(path).status_code == 405


# The account page and signing out


def test_the_account_page_of_a_delegate(client, inbox):
    ask(client)
    client.post("/sign-in/code/", {"code": inbox.code})
    page = client.get("/account/")
    text = body_text(page.text)
    assert f"Signed in as <strong>{ANA}</strong>." in page.text
    assert '<a href="/my/registrations/">My registrations</a>' in page.text
    assert "/admin/" not in page.text
    assert "Two-factor" not in text


def test_the_account_page_of_secretariat_staff(staff_client):
    page = staff_client.get("/account/")
    assert "Signed in as <strong>officer</strong>." in page.text
    assert '<a href="/admin/">Secretariat administration</a>' in page.text
    assert '<a href="/account/two-factor/">Two-factor sign-in</a> (off)' in page.text


def test_signing_out(client, inbox):
    ask(client)
    client.post("/sign-in/code/", {"code": inbox.code})
    response = client.post("/sign-out/")
    assert response["Location"] == "/sign-in/"
    assert signed_in_as(client) is None
    assert "You have signed out." in client.get("/sign-in/").text
    assert client.get("/account/").status_code == 302
