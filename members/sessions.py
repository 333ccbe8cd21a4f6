"""
SESSION_ENGINE: Django's database sessions, whose row also names the user signed
in with it (members.models.Session).

A signed-in request reads its session and its user in one query instead of two;
members/auth.py hands that user to Django's `get_user`, which still checks it as
it checks any other (its session hash, whether it may sign in).
"""

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError


class SessionStore(DatabaseSessionStore):
    _user = None

    @property
    def user(self):
        """The user read with the session row (which this reads first, if it has
        not been), or None: no session, no user named, or a new session."""
        self._get_session()
        return self._user

    @classmethod
    def get_model_class(cls):
        from members.models import Session

        return Session

    def clear(self):
        super().clear()
        self._user = None

    def load(self):
        row = self._get_session_from_db()
        self._user = row.user if row else None
        return self.decode(row.session_data) if row else {}

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = _user_pk(data)
        return row

    async def acreate_model_instance(self, data):
        row = await super().acreate_model_instance(data)
        row.user_id = _user_pk(data)
        return row


def _user_pk(data):
    """The primary key of the user signed in with the session `data`, or None."""
    if SESSION_KEY not in data:
        return None
    try:
        return get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except ValidationError:
        return None
