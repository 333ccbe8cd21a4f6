"""The Redis cache backend and change channel, against a redis-server of the test's own."""

import logging
import time

import pytest
from redis.exceptions import RedisError

from pagecache import backends
from pagecache.backends import RedisCache
from tests.live import RedisServer

pytestmark = pytest.mark.skipif(RedisServer.BINARY is None, reason="redis-server not installed")


@pytest.fixture
def redis(tmp_path, monkeypatch):
    # A short breaker, so that a test can wait it out; a fresh one per test.
    monkeypatch.setattr(backends, "BREAKER_SECONDS", 0.3)
    backends.breaker_for.cache_clear()
    backends._channel.cache_clear()
    with RedisServer(tmp_path) as server:
        yield server
    backends.breaker_for.cache_clear()
    backends._channel.cache_clear()


def eventually(condition, seconds=5):
    """Whether `condition()` holds within `seconds`: a busy machine may take a breaker
    interval or two before a restarted Redis answers within the socket timeout."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_cache_stores_and_forgets(redis):
    cache = RedisCache(redis.url, {"KEY_PREFIX": "t"})
    cache.set("page", (b"gz", {"Content-Type": "text/html"}), 30)
    assert cache.get("page") == (b"gz", {"Content-Type": "text/html"})
    assert cache.add("version", 1) and not cache.add("version", 2)
    assert cache.incr("version") == 2 and cache.decr("version") == 1
    cache.delete("version")
    assert cache.get("version", "missing") == "missing"
    with pytest.raises(ValueError):
        cache.incr("version")


def test_counting_in_a_stopped_redis_counts_nothing_and_raises_nothing(redis):
    cache = RedisCache(redis.url, {"KEY_PREFIX": "t"})
    cache.add("count", 0)
    redis.stop()
    assert cache.incr("count") is None
    assert cache.decr("count") is None


def test_a_stopped_redis_is_a_miss_logged_once_and_left_alone_until_the_breaker_closes(
    redis, caplog
):
    cache = RedisCache(redis.url, {"KEY_PREFIX": "t"})
    cache.set("page", "cached", 30)
    redis.stop()
    with caplog.at_level(logging.WARNING, logger="pagecache.backends"):
        started = time.monotonic()
        assert cache.get("page", "default") == "default"
        assert cache.set("page", "new", 30) is None
        assert cache.add("other", 1) is False
        assert not cache.delete("page")
        for _ in range(100):
            assert cache.get("page") is None
        assert time.monotonic() - started < 1.0  # 104 operations, one connection attempt
    assert len(caplog.records) == 1, caplog.records
    assert "going on without it" in caplog.records[0].getMessage()

    redis.start()  # empty: nothing was saved
    time.sleep(0.35)  # the breaker closes
    with caplog.at_level(logging.WARNING, logger="pagecache.backends"):
        # Without a new backend: no restart needed.
        assert eventually(lambda: cache.set("page", "again", 30) or cache.get("page") == "again")
    assert "answers again" in caplog.records[-1].getMessage()


def test_a_redis_that_hangs_costs_one_socket_timeout_per_breaker_interval(redis):
    cache = RedisCache(redis.url, {"KEY_PREFIX": "t"})
    cache.set("page", "cached", 30)
    redis.pause()
    try:
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("page") is None
        assert time.monotonic() - started < backends.SOCKET_TIMEOUT_SECONDS * 3
    finally:
        redis.resume()
    time.sleep(0.35)
    assert eventually(lambda: cache.get("page") == "cached")


def test_a_channel_hears_what_another_process_announces(redis):
    here = backends.ChangeChannel(redis.url, "changes")
    elsewhere = backends.ChangeChannel(redis.url, "changes")
    assert not here.quiet()  # the first look subscribes: nothing can be known before
    assert here.quiet()
    elsewhere.announce()
    elsewhere.announce()
    deadline = time.monotonic() + 5
    while here.quiet():
        assert time.monotonic() < deadline, "the announcement never arrived"
    assert here.quiet()  # both announcements were read at once
    backends.ChangeChannel(redis.url, "other").announce()
    time.sleep(0.05)
    assert here.quiet()


def test_a_process_whose_breaker_is_still_open_announces_all_the_same(redis):
    # Two processes, each with its own breaker: two addresses of one server
    # (publish/subscribe ignores the database number).
    here = backends.ChangeChannel(redis.url, "changes")
    elsewhere_url = redis.url.rsplit("/", 1)[0] + "/1"
    elsewhere = backends.ChangeChannel(elsewhere_url, "changes")
    assert not here.quiet()
    assert here.quiet()  # this process trusts Redis again...
    # ...while the other one's breaker is still open from the outage.
    backends.breaker_for(elsewhere_url).failed(RedisError("refused a moment ago"))
    elsewhere.announce()  # a save there
    deadline = time.monotonic() + 5
    while here.quiet():
        assert time.monotonic() < deadline, "the announcement never arrived"
    assert backends.breaker_for(elsewhere_url).allows()  # Redis answered: closed again


def test_a_channel_is_never_quiet_while_redis_is_away_and_listens_again_after(redis):
    channel = backends.ChangeChannel(redis.url, "changes")
    assert not channel.quiet()
    assert channel.quiet()
    redis.stop()
    channel.announce()  # does not raise
    assert not channel.quiet()
    assert not channel.quiet()  # breaker open: not even tried
    redis.start()
    time.sleep(0.35)
    assert not channel.quiet()  # subscribes anew: what was said meanwhile is lost
    assert eventually(channel.quiet)
    backends.ChangeChannel(redis.url, "changes").announce()
    deadline = time.monotonic() + 5
    while channel.quiet():
        assert time.monotonic() < deadline, "the announcement never arrived"
