import itertools

import pytest
from allauth.account.models import EmailAddress

from members.models import Member

_sequence = itertools.count(1)
PASSWORD = "members-passphrase-42"


def make_member(name=None, **fields):
    """A member whose e-mail address is confirmed, as after sign-up."""
    from django.contrib.auth import get_user_model

    n = next(_sequence)
    email = f"member{n}@example.kr"
    user = get_user_model().objects.create_user(f"member{n}", email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return Member.objects.create(user=user, display_name=name or f"회원{n}", **fields)


def signed_in(member):
    """A client of its own, signed in as `member`."""
    from django.test import Client

    client = Client()
    client.force_login(member.user)
    return client


@pytest.fixture
def member(db):
    return make_member("민지")


@pytest.fixture
def member_client(client, member):
    client.force_login(member.user)
    return client


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client
