import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError

from tests.factories import make_post
from tests.live import RedisServer

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3Jd8s-Qm2Z9x_Lr7Vb4Nc1Hf6Tg0Wy5Pa8Se3Ud2Io9Kl4Mn7Bv1Cx6Za0Qw5Er",
    "DJANGO_ALLOWED_HOSTS": "ainex.example.kr",
    "DJANGO_HTTPS": "1",
    # Members' sign-up and review e-mails; without it `check --deploy` fails.
    "EMAIL_HOST": "smtp.example.kr",
    "SITE_URL": "https://ainex.example.kr",
}


def test_healthz_reports_a_working_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert not response.cookies


@pytest.mark.skipif(RedisServer.BINARY is None, reason="redis-server not installed")
def test_healthz_tells_a_missing_cache_from_a_missing_database(client, db, settings, tmp_path):
    with RedisServer(tmp_path) as redis:
        settings.CACHES = {
            **settings.CACHES,
            "default": {"BACKEND": "pagecache.backends.RedisCache", "LOCATION": redis.url},
        }
        assert client.get("/healthz").json()["cache"] == "ok"
        redis.stop()
        response = client.get("/healthz")
        # Pages are still served, rendered in each process: the server stays in.
        assert response.status_code == 200
        assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    from django.db import connection

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", unreachable)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "unavailable", "cache": "ok"}
    assert not response.cookies


def run_django(script, **environ):
    """Run `script` after django.setup() in a fresh process with these settings in its
    environment; returns its last line of output."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ainex.settings", **environ}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr
    return lines[-1]


def test_healthz_answers_503_against_a_server_that_is_not_there():
    """A real failed connection (nothing listens on the port), in a fresh process."""
    status = run_django(
        "from django.test import Client;"
        "print(Client(HTTP_HOST='127.0.0.1').get('/healthz').status_code)",
        DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere",
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    assert status == "503"


def production_environ(**overrides):
    """This process's environment as a production server would have it."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **PRODUCTION_ENV, **overrides}


def test_deploy_check_is_clean_with_the_documented_production_environment():
    env = production_environ()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_flags_the_insecure_fallback_key():
    env = {k: v for k, v in production_environ().items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_pages_are_korean_and_dates_are_seoul_time(client, db):
    # 15:30 UTC on New Year's Day is already the 2nd in Seoul.
    post = make_post(published_at=datetime(2026, 1, 1, 15, 30, tzinfo=UTC))
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<html lang="ko">' in page
    assert '<time datetime="2026-01-02T00:30:00+09:00">2026. 1. 2.</time>' in page


def test_database_url_chooses_the_database(tmp_path):
    database = tmp_path / "chosen.sqlite3"
    vendor = run_django(
        "from django.core.management import call_command;"
        "call_command('migrate', verbosity=0);"
        "from django.db import connection; print(connection.vendor)",
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert vendor == "sqlite"
    assert database.stat().st_size > 0  # the schema went there, not to db.sqlite3


@pytest.mark.skipif(RedisServer.BINARY is None, reason="redis-server not installed")
def test_redis_url_puts_the_cache_in_that_redis(tmp_path):
    with RedisServer(tmp_path) as redis:
        stored = run_django(
            "from django.core.cache import cache; cache.set('probe', 42, 30);"
            "print(cache.get('probe'))",
            REDIS_URL=redis.url,
        )
        assert stored == "42"
        assert redis.keys() == 1  # in Redis, where every server process finds it


def test_collectstatic_writes_hashed_compressed_files(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    css = list((tmp_path / "css").glob("site.*.css"))
    assert css, "no content-hashed site.css"
    assert (tmp_path / "css" / (css[0].name + ".gz")).exists()


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_no_local_state_is_tracked():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    forbidden = [
        path
        for path in tracked
        if path.startswith((".venv/", "staticfiles/", "media/"))
        or path.endswith((".sqlite3", ".pyc", ".env"))
    ]
    assert forbidden == []


def test_the_favicon_redirects_to_the_site_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
