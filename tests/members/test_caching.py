"""Signed-in members bypass the shared page cache; anonymous readers keep it."""

import pytest
from django.test import Client

from tests.factories import make_answer, make_post
from tests.members.conftest import make_member, signed_in

pytestmark = pytest.mark.django_db

PUBLIC_PATHS = [
    "/",
    "/community/",
    "/community/cached-post/",
    "/community/cached-post/modal/",
    "/guide/",
    "/guide/advisor/",
]


@pytest.fixture
def post(db):
    post = make_post(slug="cached-post")
    make_answer(post)
    return post


@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_no_member_is_served_another_ones_page(post, path):
    first, second = make_member(), make_member()
    anonymous = Client()
    # A member first: were their page stored, the others would be served it.
    mine = signed_in(first).get(path)
    assert mine.status_code == 200
    assert mine["Cache-Control"] == "no-cache, private"
    theirs = signed_in(second).get(path).content.decode()
    assert first.email not in theirs
    if not path.endswith("/modal/"):  # the dialog's article has no menu
        assert first.email in mine.content.decode()
        assert second.email in theirs

    public = anonymous.get(path)
    text = public.content.decode()
    assert first.email not in text and second.email not in text
    assert "csrfmiddlewaretoken" not in text
    if not path.endswith("/modal/"):
        assert 'href="/accounts/login/"' in text
    assert public["Cache-Control"] == "no-cache, public"


def test_anonymous_readers_still_share_one_cached_page(post, django_assert_num_queries):
    Client().get("/community/")
    with django_assert_num_queries(1):  # the content version, in local-memory mode
        cached = Client().get("/community/")
    assert cached.status_code == 200
    assert 'href="/accounts/login/"' in cached.content.decode()
    # Telling members apart read no session: a shared cache on the way may keep it.
    assert cached["Vary"] == "Accept-Encoding"


def test_after_logging_out_the_shared_page_again(post):
    member = make_member()
    client = signed_in(member)
    assert member.email in client.get("/community/").content.decode()
    client.post("/accounts/logout/")
    assert member.email not in client.get("/community/").content.decode()
