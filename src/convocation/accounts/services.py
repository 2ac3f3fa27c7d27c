"""Sending a sign-in email, and signing in with its code or its link."""

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Q

from convocation.accounts import emails, signin
from convocation.accounts.models import SignIn
from convocation.accounts.signin import Refusal

# Sign-ins older than this are deleted when a new one is sent: the rate limit looks back one
# hour, and a day is enough to tell someone that the code they typed was already used.
KEPT_FOR = dt.timedelta(days=1)
LONGEST_TOKEN = 100


class TooManySignIns(Exception):
    """The address or the client has been sent as many sign-in emails as an hour allows."""


def send_sign_in(
    *,
    email: str,
    client_ip: str | None,
    minutes: int,
    link_for: Callable[[str], str],
    now: dt.datetime,
) -> SignIn:
    """Record a one-time sign-in for ``email`` and email its code and link.

    ``link_for`` turns the token into the absolute address of the sign-in link.
    """
    email = signin.normalise_email(email)
    code, token = signin.new_code(), signin.new_token()
    with transaction.atomic():
        SignIn.objects.filter(created__lt=now - KEPT_FOR).delete()
        since = now - signin.RATE_WINDOW
        sent_to_client = (
            SignIn.objects.filter(client_ip=client_ip, created__gte=since).count()
            if client_ip
            else 0
        )
        if signin.over_rate_limit(
            sent_to_address=SignIn.objects.filter(email=email, created__gte=since).count(),
            sent_to_client=sent_to_client,
        ):
            raise TooManySignIns
        record = SignIn.objects.create(
            email=email,
            client_ip=client_ip,
            code_hash=signin.code_hash(email, code),
            token_hash=signin.token_hash(token),
            created=now,
            expires=signin.expiry(now, minutes),
        )
    # Sent at once rather than queued: the delegate is waiting for it on the next page. Outside
    # the transaction, so that a slow mail server does not hold the database's write lock.
    emails.send_sign_in_email(email=email, code=code, link=link_for(token), minutes=minutes)
    return record


def sign_in_with_code(*, email: str, code: str, now: dt.datetime) -> AbstractBaseUser | Refusal:
    """The delegate with this address, if the code is that of one of their recent emails."""
    email = signin.normalise_email(email)
    with transaction.atomic():
        recent = list(
            SignIn.objects.select_for_update().filter(email=email, created__gte=now - KEPT_FOR)
        )
        # Any of the recent emails' codes is accepted: they may arrive out of order.
        matching = next((s for s in recent if signin.code_matches(s.code_hash, email, code)), None)
        if matching is None:
            live = [s.pk for s in recent if _refusal(s, now) is None]
            SignIn.objects.filter(pk__in=live).update(failed_attempts=F("failed_attempts") + 1)
            return Refusal.WRONG_CODE
        return _use(matching, now)


def sign_in_with_link(*, token: str, now: dt.datetime) -> AbstractBaseUser | Refusal:
    with transaction.atomic():
        record = _by_token(token, for_update=True)
        if record is None:
            return Refusal.UNKNOWN_LINK
        return _use(record, now)


def link_refusal(*, token: str, now: dt.datetime) -> Refusal | None:
    """Why the link would not sign in, without using it (mail scanners open links too)."""
    record = _by_token(token, for_update=False)
    if record is None:
        return Refusal.UNKNOWN_LINK
    return _refusal(record, now)


def _by_token(token: str, *, for_update: bool) -> SignIn | None:
    if len(token) > LONGEST_TOKEN:
        return None
    records = SignIn.objects.select_for_update() if for_update else SignIn.objects.all()
    return records.filter(token_hash=signin.token_hash(token)).first()


def _refusal(record: SignIn, now: dt.datetime) -> Refusal | None:
    return signin.refusal(
        now=now, expires=record.expires, used=record.used, failed_attempts=record.failed_attempts
    )


def _use(record: SignIn, now: dt.datetime) -> AbstractBaseUser | Refusal:
    """Spend the sign-in and return its account, created on the first sign-in."""
    if (refusal := _refusal(record, now)) is not None:
        return refusal
    # Every outstanding code and link of the address dies with the one used.
    SignIn.objects.filter(email=record.email, used__isnull=True).update(used=now)
    users = get_user_model().objects
    user = users.filter(username=record.email).first()
    refusal = signin.account_refusal(
        # Any Secretariat account with the address, whatever its username.
        is_staff=users.filter(
            Q(username__iexact=record.email) | Q(email__iexact=record.email), is_staff=True
        ).exists(),
        is_active=user is None or user.is_active,
    )
    if refusal is not None:
        return refusal
    if user is None:
        # No password at all: a delegate's only way in is a code or link sent to the address.
        user = users.create_user(username=record.email, email=record.email, password=None)
    return user
