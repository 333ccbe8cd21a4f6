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
from django.db import connection
from django.utils import timezone


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
        found = _live_session_with_user(self.model, self.session_key)
        if found is None:
            # As Django's store does: a new key if this session is saved.
            self._session_key, self._user = None, None
            return {}
        session_data, self._user = found
        return self.decode(session_data)

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


def _live_session_with_user(model, session_key):
    """
    (data, user or None) of the unexpired session `session_key`, or None.

    Written out: the ORM's building of this query (a `select_related`) took
    0.4 ms, longer than the query; `raw()` still turns the columns into a user
    as the ORM would. A session that names no user comes back as a user row of
    NULLs, without a primary key.
    """
    user_model = get_user_model()
    quote = connection.ops.quote_name
    users = quote(user_model._meta.db_table)
    user_pk = quote(user_model._meta.pk.column)
    rows = user_model.objects.raw(
        f"SELECT u.*, s.session_data FROM {quote(model._meta.db_table)} s "  # noqa: S608
        f"LEFT JOIN {users} u ON u.{user_pk} = s.user_id "
        "WHERE s.session_key = %s AND s.expire_date > %s",
        [session_key, timezone.now()],
    )
    for row in rows:
        return row.session_data, (row if row.pk is not None else None)
    return None
