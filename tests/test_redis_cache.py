"""The Redis cache backend (Django's, reusing its client) against the local Redis."""

import socket
import uuid

import pytest

from community.redis_cache import RedisCache


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_answers(), reason="Redis is not running")
def test_the_cache_works_and_reuses_one_client():
    cache = RedisCache("redis://127.0.0.1:6379/8", {"KEY_PREFIX": uuid.uuid4().hex})
    cache.set("page", (b"<html>", b"gz", "text/html"), 30)
    assert cache.get("page") == (b"<html>", b"gz", "text/html")
    assert cache.add("version", 1) and cache.get("version") == 1
    cache.delete("version")
    assert cache.get("version") is None
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    cache.clear()
