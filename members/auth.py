"""
Who is signed in, from the session row alone (members/sessions.py).

Django's `auth.get_user(request)` asks the backend that signed the user in for
the user by primary key: a second query after the session's. While it runs for a
request, the backends below answer with the user the session row was read with,
when it is that user; everything else about it is Django's own (the backend
named in the session must still be configured, the session hash must match, an
inactive user is refused).
"""

from contextvars import ContextVar

from allauth.account import auth_backends as allauth_backends
from django.contrib import auth
from django.contrib.auth import backends as django_backends
from django.contrib.auth import middleware as django_middleware
from django.utils.functional import SimpleLazyObject

_read_with_session = ContextVar("read_with_session", default=None)


class SessionUserMixin:
    def get_user(self, user_id):
        # As ModelBackend.get_user, without its query when the session's row
        # brought this very user.
        user = _read_with_session.get()
        if user is None or str(user.pk) != str(user_id):
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(SessionUserMixin, django_backends.ModelBackend):
    """Django's ModelBackend (editors sign in to the admin with a user name)."""


class AuthenticationBackend(SessionUserMixin, allauth_backends.AuthenticationBackend):
    """allauth's backend (members sign in with their e-mail address)."""


class AuthenticationMiddleware(django_middleware.AuthenticationMiddleware):
    """Django's, with `request.user` read as described above."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))


def get_user(request):
    if not hasattr(request, "_cached_user"):
        token = _read_with_session.set(getattr(request.session, "user", None))
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _read_with_session.reset(token)
    return request._cached_user
