"""Django's database sessions and accounts, with the reads of every signed-in request
compiled once per process (docs/decisions/0005-hot-queries-compiled-once.md).

Each request of a signed-in delegate reads its session and its account; through the ORM the
two reads cost more Python than the rest of a registration's checks. Nothing else changes:
the same tables, the same expiry, the same rules for inactive accounts.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from convocation.prepared import Prepared

_SESSION = Prepared(lambda key: Session.objects.filter(session_key=key)[:1], str)
_ACCOUNT = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk)[:1], int)


class SessionStore(DatabaseSessionStore):
    """SESSION_ENGINE ``convocation.accounts.sessions``."""

    def _get_session_from_db(self):
        try:
            session = _SESSION.first(self.session_key or "")
        except SuspiciousOperation as refused:
            logging.getLogger(f"django.security.{refused.__class__.__name__}").warning(str(refused))
            session = None
        # As Django's own: an expired session is no session.
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session


class AccountBackend(ModelBackend):
    """Django's ModelBackend; the account of each request is read by a compiled query."""

    def get_user(self, user_id):
        try:
            user = _ACCOUNT.first(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
