"""
Two server processes sharing one database and one Redis: an editor's save made
through one is what the other serves on the very next request.

Runs real gunicorn processes against a database of their own (a fresh
PostgreSQL database when DATABASE_URL points at PostgreSQL, an SQLite file
otherwise), so saves really commit. Skipped when Redis does not answer.
"""

import contextlib
import os
import socket
import urllib.parse
import uuid

import pytest

from scripts.local_server import gunicorn
from tests.live import EditorSession, answer_id, fetch, form_fields, own_database, site_environment

REDIS_URL = os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/9")


def redis_answers():
    address = urllib.parse.urlsplit(REDIS_URL)
    with (
        contextlib.suppress(OSError),
        socket.create_connection((address.hostname, address.port or 6379), timeout=1),
    ):
        return True
    return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason="Redis is not running")


@pytest.fixture
def environment(tmp_path):
    with own_database(tmp_path) as database_url:
        yield site_environment(
            database_url,
            REDIS_URL=REDIS_URL,
            CACHE_KEY_PREFIX=f"scale-out-{uuid.uuid4().hex[:8]}",
        )


def test_a_save_through_one_server_shows_through_the_other(environment):
    with gunicorn(environment, workers=1) as first, gunicorn(environment, workers=1) as second:
        post_path = "/community/which-gguf-file/"
        for base in (first, second):  # both servers now hold the page in the cache
            assert "Q4_K_M" in fetch(base + post_path)
            fetch(base + post_path + "modal/")
            fetch(base + "/community/")

        editor = EditorSession(first)
        editor.log_in()
        change_path = f"/admin/community/answer/{answer_id(environment, 'which-gguf-file')}/change/"
        page = editor.get(change_path)
        fields = form_fields(page)
        marker = f"확장 검증 {uuid.uuid4().hex[:6]}"
        fields["body"] = fields["body"] + f"\n\n{marker}"
        url, _ = editor.post_form(change_path, page, fields)
        assert url.endswith("/admin/community/answer/"), url

        assert marker in fetch(second + post_path)
        assert marker in fetch(second + post_path + "modal/")
        assert marker in fetch(first + post_path)
