"""
Two server processes sharing one database and one Redis: an editor's save made
through one is what the other serves on the very next request.

Runs real gunicorn processes against a database of their own (a fresh
PostgreSQL database when DATABASE_URL points at PostgreSQL, an SQLite file
otherwise), so saves really commit. Skipped when Redis does not answer.
"""

import contextlib
import html
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from scripts.local_server import gunicorn

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "scale-out-passphrase-42"


def redis_answers():
    host, port = urllib.parse.urlsplit(REDIS_URL).hostname, urllib.parse.urlsplit(REDIS_URL).port
    with contextlib.suppress(OSError), socket.create_connection((host, port or 6379), timeout=1):
        return True
    return False


pytestmark = pytest.mark.skipif(not redis_answers(), reason="Redis is not running")


@pytest.fixture
def database_url(tmp_path):
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'scale_out.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"ainex_scale_out_{uuid.uuid4().hex[:8]}"
    server = configured.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield configured.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def environment(database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}} | {
        "DJANGO_SETTINGS_MODULE": "ainex.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"scale-out-{uuid.uuid4().hex[:8]}",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    # Real servers, as production runs them: static files collected, DEBUG off.
    for command in (
        ["migrate", "-v0"],
        ["loaddata", "reference", "posts", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "add_editor", "minji", "minji@example.kr", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
    )
    return env


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


class EditorSession:
    """A browser-like session: cookies and CSRF tokens, through one server."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post_form(self, path, page, fields):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.geturl(), response.read().decode()

    def log_in(self):
        page = self.get("/admin/login/?next=/admin/")
        url, _ = self.post_form(
            "/admin/login/?next=/admin/", page, {"username": "minji", "password": PASSWORD}
        )
        assert not url.endswith("/admin/login/"), "login failed"


def form_fields(page):
    """The current values of a Django admin change form's inputs."""
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields[name] = html.unescape(value)
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = html.unescape(body).lstrip("\n")
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_a_save_through_one_server_shows_through_the_other(environment):
    with gunicorn(environment, workers=1) as first, gunicorn(environment, workers=1) as second:
        post_path = "/community/which-gguf-file/"
        for base in (first, second):  # both servers now hold the page in the cache
            assert "Q4_K_M" in fetch(base + post_path)
            fetch(base + post_path + "modal/")
            fetch(base + "/community/")

        editor = EditorSession(first)
        editor.log_in()
        answer_id = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-v0",
                "-c",
                "from community.models import Answer;"
                "print(Answer.objects.get(post__slug='which-gguf-file').pk)",
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        change_path = f"/admin/community/answer/{answer_id}/change/"
        page = editor.get(change_path)
        fields = form_fields(page)
        marker = f"확장 검증 {uuid.uuid4().hex[:6]}"
        fields["body"] = fields["body"] + f"\n\n{marker}"
        url, _ = editor.post_form(change_path, page, fields)
        assert url.endswith("/admin/community/answer/"), url

        assert marker in fetch(second + post_path)
        assert marker in fetch(second + post_path + "modal/")
        assert marker in fetch(first + post_path)
