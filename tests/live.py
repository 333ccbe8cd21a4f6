"""
Real servers for the tests that need them (scale-out, faults): a database of
their own, gunicorn processes, an editor's browser-like session.
"""

import contextlib
import dataclasses
import html
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from scripts.local_server import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "live-server-passphrase-42"


def postgres_url():
    """DATABASE_URL when it names PostgreSQL, else None."""
    configured = os.environ.get("DATABASE_URL", "")
    return configured if configured.startswith("postgres") else None


@contextlib.contextmanager
def own_database(tmp_path):
    """A database URL of the test's own: a fresh PostgreSQL database when DATABASE_URL
    names PostgreSQL (dropped afterwards), an SQLite file otherwise."""
    configured = postgres_url()
    if configured is None:
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    name = f"ainex_live_{uuid.uuid4().hex[:8]}"
    server = configured.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield configured.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))


def site_environment(database_url, **extra):
    """The environment of a production server on `database_url`, migrated, seeded, static
    files collected, with the editor `minji` (password PASSWORD)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}} | {
        "DJANGO_SETTINGS_MODULE": "ainex.settings",
        "DATABASE_URL": database_url,
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }
    for command in (["migrate", "-v0"], ["seed", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        manage(env, *command)
    manage(env, "add_editor", "minji", "minji@example.kr", "--password-stdin", input=PASSWORD)
    return env


def manage(env, *args, input=None):
    """Run manage.py in `env`; its standard output."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=None if input is None else input + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def fetch(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
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
        """Submit `fields` as the form on `page`; the final URL and page after redirects."""
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


def answer_id(env, post_slug):
    """The id of the first answer of the post `post_slug`, read in a process of its own."""
    return manage(
        env,
        "shell",
        "-v0",
        "-c",
        "from community.models import Answer;"
        f"print(Answer.objects.filter(post__slug='{post_slug}').order_by('pk')[0].pk)",
    ).strip()


class RedisServer:
    """A redis-server of the test's own on a free port, started for a `with` block, that
    the test stops and starts."""

    BINARY = shutil.which("redis-server")

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                self.BINARY,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.answers():
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def answers(self):
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn,
        ):
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
        return False

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def pause(self):
        """Still accepting connections, answering nothing: a Redis that hangs."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.resume()
            self.stop()

    def keys(self):
        """How many keys it holds."""
        import redis

        return redis.Redis.from_url(self.url).dbsize()


class TcpProxy:
    """
    A TCP proxy on a free port in front of `target` (host, port), that the test
    cuts (every connection closed, new ones closed at once, as by a server that
    went down) and restores.
    """

    def __init__(self, target):
        self.target = target
        self.connections = set()
        self.lock = threading.Lock()
        self.up = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def restore(self):
        self.up.set()

    def cut(self):
        with self.lock:
            self.up.clear()
            for conn in self.connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.connections.clear()

    def __enter__(self):
        self.restore()
        return self

    def __exit__(self, *exc):
        self.cut()
        self.listener.close()

    def _accept(self):
        while self.listener.fileno() != -1:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self.lock:
                if not self.up.is_set():
                    client.close()
                    continue
                upstream = socket.create_connection(self.target)
                self.connections |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@dataclasses.dataclass
class Outcome:
    started: float  # time.monotonic()
    seconds: float
    status: int  # 0: no answer (refused, reset, timed out)
    body: str

    @property
    def ended(self):
        return self.started + self.seconds


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an outcome of its own


class Load:
    """
    A bounded load: `threads` clients, each requesting `paths` in turn with a
    short pause, from entering the block to leaving it; every request's outcome
    is kept. Redirects are not followed.
    """

    def __init__(self, base, paths, threads=4, pause=0.02, timeout=15):
        self.base, self.paths, self.threads = base, paths, threads
        self.pause, self.timeout = pause, timeout
        self.outcomes = []
        self.stopping = threading.Event()
        self.opener = urllib.request.build_opener(_NoRedirects)

    def __enter__(self):
        self.workers = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for worker in self.workers:
            worker.join()

    def _run(self, n):
        i = n
        while not self.stopping.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.monotonic()
            try:
                with self.opener.open(self.base + path, timeout=self.timeout) as response:
                    status, body = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
            except OSError:
                status, body = 0, ""
            self.outcomes.append(Outcome(started, time.monotonic() - started, status, body))
            time.sleep(self.pause)

    def between(self, start, end):
        """The requests started from `start` until `end`."""
        return [o for o in self.outcomes if start <= o.started < end]

    def within(self, start, end):
        """The requests that ran from start to finish inside the window: none of
        them was in flight when a fault began or ended at either edge."""
        return [o for o in self.outcomes if start <= o.started and o.ended < end]

    def across(self, start, end):
        """The requests in flight at some moment of the window."""
        return [o for o in self.outcomes if o.started < end and o.ended > start]
