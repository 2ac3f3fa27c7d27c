"""The rules of signing in by email: codes, their hashes, their validity, the rate limits.

Plain functions of values, so that each rule is tested without a request or a database.
"""

import datetime as dt
import enum
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme

CODE_DIGITS = 6
MAX_WRONG_CODES = 5
SENT_PER_ADDRESS_PER_HOUR = 5
SENT_PER_CLIENT_PER_HOUR = 20
RATE_WINDOW = dt.timedelta(hours=1)
DEFAULT_NEXT = "/account/"

# Separate salts, so that a code's hash can never stand for a token's and the other way round.
CODE_SALT = "convocation.accounts.sign-in-code"
TOKEN_SALT = "convocation.accounts.sign-in-token"


class Refusal(enum.Enum):
    """Why a code or link does not sign anyone in."""

    WRONG_CODE = "wrong_code"
    UNKNOWN_LINK = "unknown_link"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY_WRONG_CODES = "too_many_wrong_codes"
    # Secretariat accounts sign in with a password and two-factor, never by email alone.
    SECRETARIAT = "secretariat"
    DISABLED = "disabled"


def normalise_email(email: str) -> str:
    """One spelling per address: the account's username and the rate limit's key."""
    return email.strip().lower()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def code_hash(email: str, code: str) -> str:
    # The address is in the hashed value: the same code sent to two people hashes apart.
    return salted_hmac(CODE_SALT, f"{email}\n{code}", algorithm="sha256").hexdigest()


def token_hash(token: str) -> str:
    return salted_hmac(TOKEN_SALT, token, algorithm="sha256").hexdigest()


def code_matches(stored_hash: str, email: str, code: str) -> bool:
    return constant_time_compare(stored_hash, code_hash(email, code))


def expiry(sent: dt.datetime, minutes: int) -> dt.datetime:
    return sent + dt.timedelta(minutes=minutes)


def refusal(
    *, now: dt.datetime, expires: dt.datetime, used: dt.datetime | None, failed_attempts: int
) -> Refusal | None:
    """Why a sign-in whose code or link was given correctly still cannot be used, if it can't."""
    if used is not None:
        return Refusal.USED
    if failed_attempts >= MAX_WRONG_CODES:
        return Refusal.TOO_MANY_WRONG_CODES
    if now >= expires:
        return Refusal.EXPIRED
    return None


def over_rate_limit(*, sent_to_address: int, sent_to_client: int) -> bool:
    """Whether one more email would exceed the hourly limits, given the emails of the last hour."""
    return (
        sent_to_address >= SENT_PER_ADDRESS_PER_HOUR or sent_to_client >= SENT_PER_CLIENT_PER_HOUR
    )


def account_refusal(*, is_staff: bool, is_active: bool) -> Refusal | None:
    if is_staff:
        return Refusal.SECRETARIAT
    if not is_active:
        return Refusal.DISABLED
    return None


def safe_next(candidate: str | None, *, host: str, https: bool) -> str:
    """Where to go after signing in: a path on this site, or the account page.

    A path starts with "/": "abc" is a relative address, which Django's redirect would take
    for the name of a view.
    """
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={host}, require_https=https)
    ):
        return candidate
    return DEFAULT_NEXT
