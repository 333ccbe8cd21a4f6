"""A session's row names its user: who is signed in costs one query, and is checked
as Django checks it (members/sessions.py, members/auth.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Session
from tests.factories import make_answer, make_post
from tests.members.conftest import PASSWORD, make_member, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(db):
    post = make_post(slug="session-post")
    make_answer(post)
    return post


@pytest.mark.parametrize(
    "path", ["/community/", "/community/session-post/", "/community/session-post/modal/"]
)
def test_a_members_kept_page_reads_the_session_and_its_user_in_one_query(post, path):
    member = make_member()
    client = signed_in(member)
    client.get(path)  # renders and keeps what every reader shares
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    if not path.endswith("/modal/"):  # the dialog's article has no menu
        assert member.email in response.content.decode()
    # The session with its user, and the content version (local-memory mode).
    assert len(queries) == 2
    session_query = queries[0]["sql"]
    assert "members_session" in session_query and "auth_user" in session_query


def test_signing_in_and_out_keeps_the_row_naming_its_user(post):
    member = make_member()
    client = Client()
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user == member.user
    assert member.email in client.get("/community/").content.decode()

    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert member.email not in client.get("/community/").content.decode()


def test_a_deactivated_member_is_signed_out_on_the_next_request(post):
    member = make_member()
    client = signed_in(member)
    assert member.email in client.get("/community/").content.decode()
    member.user.is_active = False
    member.user.save()
    assert member.email not in client.get("/community/").content.decode()


def test_a_password_changed_elsewhere_ends_the_other_sessions(post):
    member = make_member()
    client = signed_in(member)
    member.user.set_password("another-passphrase-77")
    member.user.save()
    page = client.get("/community/").content.decode()
    assert member.email not in page
    assert 'href="/accounts/login/"' in page
    assert not Session.objects.filter(user=member.user).exists()  # flushed


def test_deleting_a_user_deletes_their_sessions(post):
    member = make_member()
    client = signed_in(member)
    user = member.user
    user.delete()
    assert not Session.objects.filter(user_id=user.pk).exists()
    assert 'href="/accounts/login/"' in client.get("/community/").content.decode()


def test_the_sessions_data_decides_who_is_signed_in_not_its_row(post):
    """The row only saves a query: were it to name someone else, the user the
    session's data names is read as before."""
    member, other = make_member(), make_member()
    client = signed_in(member)
    client.get("/community/")  # renders and keeps what every reader shares
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(user=other.user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/community/").content.decode()
    assert member.email in page and other.email not in page
    assert len(queries) == 3  # the session (with the wrong user), the user, the version
    assert Session.objects.get(session_key=key).get_decoded()[SESSION_KEY] == str(member.user.pk)


def test_a_session_of_an_anonymous_visitor_names_no_user(post):
    client = Client()
    session = client.session
    session["seen"] = True
    session.save()
    row = Session.objects.get(session_key=session.session_key)
    assert row.user is None
    assert 'href="/accounts/login/"' in client.get("/community/").content.decode()


def test_an_expired_session_signs_no_one_in(post):
    member = make_member()
    client = signed_in(member)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    page = client.get("/community/").content.decode()
    assert member.email not in page
    assert 'href="/accounts/login/"' in page
