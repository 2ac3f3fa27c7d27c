"""Secretariat staff turn on two-factor sign-in; the admin login then asks for the code."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from convocation.accounts import two_factor
from tests.accounts.mailbox import wrong
from tests.meetings.html import body_text

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def current_code(device: TOTPDevice) -> str:
    """What the authenticator app shows now."""
    device.refresh_from_db()
    number = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{number:0{device.digits}d}"


@pytest.fixture
def officer():
    return User.objects.create_user("officer", password=PASSWORD, is_staff=True)


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def enrolled(officer):
    return TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)


def admin_login(client, **extra):
    data = {"username": "officer", "password": PASSWORD, "next": "/admin/", **extra}
    return client.post("/admin/login/?next=/admin/", data)


# Enrolment


def test_enrolment_shows_a_qr_code_and_the_secret(officer_client, officer):
    page = officer_client.get("/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=officer)
    assert device.confirmed is False
    assert re.search(r'<svg [^>]*class="qr"', page.text)
    assert "<title>QR code to scan with an authenticator app</title>" in page.text
    secret = two_factor.secret_for_typing(device)
    assert f'<code class="secret">{secret}</code>' in page.text
    # Reloading the page keeps the secret the app has already scanned.
    assert secret in officer_client.get("/account/two-factor/").text
    assert TOTPDevice.objects.count() == 1


def test_the_enrolment_address_names_the_product_and_the_account(officer):
    device = two_factor.pending_device(officer)
    uri = urlsplit(two_factor.enrolment_uri(device))
    params = parse_qs(uri.query)
    assert (uri.scheme, uri.netloc, uri.path) == ("otpauth", "totp", "/convocation%3Aofficer")
    assert params["issuer"] == ["convocation"]
    assert params["secret"] == [two_factor.secret_for_typing(device).replace(" ", "")]
    assert (params["digits"], params["period"]) == (["6"], ["30"])


def test_a_current_code_turns_two_factor_on(officer_client, officer):
    officer_client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=officer)
    response = officer_client.post("/account/two-factor/", {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    # This session proved the second factor while enrolling.
    assert officer_client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    page = officer_client.get("/account/two-factor/")
    assert "Two-factor sign-in is on." in body_text(page.text)
    assert "<svg" not in page.text
    assert '<a href="/account/two-factor/">Two-factor sign-in</a> (on)' in (
        officer_client.get("/account/").text
    )


def test_a_wrong_code_does_not_turn_two_factor_on(officer_client, officer):
    officer_client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=officer)
    response = officer_client.post("/account/two-factor/", {"code": wrong(current_code(device))})
    assert response.status_code == 400
    assert "That code is not right." in body_text(response.text)
    assert 'aria-describedby="id_code_error"' in response.text
    assert TOTPDevice.objects.get(user=officer).confirmed is False


@pytest.mark.parametrize("data", [{}, {"code": "abc"}, {"code": "1" * 50}])
def test_a_malformed_code_is_a_form_error(officer_client, officer, data):
    response = officer_client.post("/account/two-factor/", data)
    assert response.status_code == 400
    assert '<div class="error-summary" role="alert"' in response.text
    assert TOTPDevice.objects.get(user=officer).confirmed is False


def test_a_current_code_turns_two_factor_off(officer_client, enrolled):
    page = officer_client.get("/account/two-factor/")
    assert "Turn two-factor sign-in off" in page.text
    response = officer_client.post("/account/two-factor/", {"code": current_code(enrolled)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()


def test_turning_off_needs_the_right_code(officer_client, enrolled):
    response = officer_client.post("/account/two-factor/", {"code": wrong(current_code(enrolled))})
    assert response.status_code == 400
    assert TOTPDevice.objects.get().confirmed is True


def test_the_page_is_for_secretariat_staff_only(client):
    response = client.get("/account/two-factor/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/account/two-factor/"
    client.force_login(User.objects.create_user("ana.ionescu@mae.ro"))
    response = client.get("/account/two-factor/")
    assert response.status_code == 403
    assert not TOTPDevice.objects.exists()


# The admin login


def test_without_two_factor_the_password_is_enough(client, officer):
    response = admin_login(client)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[SESSION_KEY] == str(officer.pk)


def test_the_admin_login_page_offers_the_code_field(client):
    page = client.get("/admin/login/")
    assert '<label for="id_otp_token">Two-factor code:</label>' in page.text
    assert 'aria-describedby="id_otp_token_helptext"' in page.text


def test_with_two_factor_the_code_is_required(client, enrolled):
    response = admin_login(client)
    assert response.status_code == 200
    assert "enter the code from your authenticator app." in body_text(response.text)
    assert SESSION_KEY not in client.session
    # The password is not sent back into the page.
    assert PASSWORD not in response.text


def test_with_two_factor_a_wrong_code_is_refused(client, enrolled):
    response = admin_login(client, otp_token=wrong(current_code(enrolled)))
    assert response.status_code == 200
    assert "That two-factor code is not right." in body_text(response.text)
    assert SESSION_KEY not in client.session


def test_with_two_factor_the_current_code_signs_in(client, officer, enrolled):
    response = admin_login(client, otp_token=current_code(enrolled))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[SESSION_KEY] == str(officer.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == enrolled.persistent_id


def test_a_code_is_not_accepted_twice(client, enrolled):
    code = current_code(enrolled)
    admin_login(client, otp_token=code)
    client.post("/admin/logout/")
    response = admin_login(client, otp_token=code)
    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_a_wrong_password_is_refused_before_the_code_counts(client, enrolled):
    response = admin_login(client, password="not-the-password", otp_token=current_code(enrolled))
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 0


def test_an_unconfirmed_device_does_not_ask_for_a_code(client, officer):
    two_factor.pending_device(officer)
    assert admin_login(client).status_code == 302


def test_another_users_device_is_not_asked_for(client, officer):
    colleague = User.objects.create_user("colleague", password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=colleague, name="Authenticator app", confirmed=True)
    assert admin_login(client).status_code == 302
