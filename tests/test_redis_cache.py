"""The Redis cache backend (Django's, reusing its client) against the local Redis."""

import socket
import time
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


@pytest.mark.skipif(not redis_answers(), reason="Redis is not running")
def test_a_channel_watch_hears_what_another_process_publishes():
    prefix = uuid.uuid4().hex
    here = RedisCache("redis://127.0.0.1:6379/8", {"KEY_PREFIX": prefix})
    elsewhere = RedisCache("redis://127.0.0.1:6379/8", {"KEY_PREFIX": prefix})
    watch = here.watch("changes")
    assert watch.changed()  # the first look subscribes: nothing can be known before
    assert not watch.changed()
    elsewhere.publish("changes")
    elsewhere.publish("changes")
    deadline = time.monotonic() + 5
    while not watch.changed():
        assert time.monotonic() < deadline, "the announcement never arrived"
    assert not watch.changed()  # both announcements were read at once
    elsewhere.publish("something else")  # another channel
    time.sleep(0.05)
    assert not watch.changed()


@pytest.mark.skipif(not redis_answers(), reason="Redis is not running")
def test_a_broken_subscription_counts_as_a_change():
    watch = RedisCache("redis://127.0.0.1:6379/8", {"KEY_PREFIX": uuid.uuid4().hex}).watch("c")
    assert watch.changed()
    watch._pubsub.connection.disconnect()
    assert watch.changed()  # cannot tell: the caller must read again
    assert not watch.changed()  # subscribed anew
