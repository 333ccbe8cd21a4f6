"""
Redis for the page cache, with the site going on without it.

`RedisCache` is Django's, with every operation behind a circuit breaker: when
Redis fails (refused, reset, or slower than its socket timeout), the operation
answers as a cache miss would, one warning is logged, and Redis is left alone
for BREAKER_SECONDS before one request tries it again. Pages are then served
from each process's own memory or rendered afresh; nothing waits for Redis.

`ChangeChannel` is how processes tell each other that content changed (Redis
publish/subscribe), through the same breaker; an announcement is tried even
while it is open.
"""

import contextlib
import functools
import logging
import os
import time

import redis
from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BREAKER_SECONDS = 5.0
# Redis answers in well under a millisecond; one that takes longer than this is
# treated as down rather than making every request wait for it.
SOCKET_TIMEOUT_SECONDS = 0.25


class CircuitBreaker:
    """Whether to try Redis now: not for BREAKER_SECONDS after it failed."""

    def __init__(self, location):
        self.location = location
        self.open_until = 0.0

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, error):
        # One warning per opening: the breaker is what limits the log's rate.
        logger.warning(
            "Redis at %s failed (%s); going on without it for %.0f s",
            self.location,
            error,
            BREAKER_SECONDS,
        )
        self.open_until = time.monotonic() + BREAKER_SECONDS

    def succeeded(self):
        if self.open_until:
            logger.warning("Redis at %s answers again", self.location)
            self.open_until = 0.0


@functools.cache
def breaker_for(location) -> CircuitBreaker:
    """One breaker per Redis server and process, shared by the cache and the channel."""
    return CircuitBreaker(location)


def _guarded(on_failure):
    """Run the cache operation unless the breaker is open; answer `on_failure(default)` if
    Redis fails. `default` is the operation's own `default` argument, for `get`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            breaker = breaker_for(self.location)
            if breaker.allows():
                try:
                    result = method(self, *args, **kwargs)
                except RedisError as error:
                    breaker.failed(error)
                else:
                    breaker.succeeded()
                    return result
            return on_failure(kwargs.get("default", args[1] if len(args) > 1 else None))

        return wrapper

    return decorate


def _nothing(_default):
    return None


class RedisCache(django_redis.RedisCache):
    """Django's RedisCache, answering as a miss while Redis is down."""

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        super().__init__(server, params)
        self.location = server

    get = _guarded(lambda default: default)(django_redis.RedisCache.get)
    add = _guarded(lambda _default: False)(django_redis.RedisCache.add)
    set = _guarded(_nothing)(django_redis.RedisCache.set)
    touch = _guarded(lambda _default: False)(django_redis.RedisCache.touch)
    delete = _guarded(lambda _default: False)(django_redis.RedisCache.delete)
    get_many = _guarded(lambda _default: {})(django_redis.RedisCache.get_many)
    set_many = _guarded(lambda _default: [])(django_redis.RedisCache.set_many)
    delete_many = _guarded(_nothing)(django_redis.RedisCache.delete_many)
    has_key = _guarded(lambda _default: False)(django_redis.RedisCache.has_key)
    clear = _guarded(lambda _default: False)(django_redis.RedisCache.clear)
    # None: nothing could be counted (decr goes through incr). A missing key is
    # still Django's ValueError, raised while Redis answers.
    incr = _guarded(_nothing)(django_redis.RedisCache.incr)

    def change_channel(self, name):
        """This process's `ChangeChannel` called `name` on this cache's Redis."""
        return _channel(self.location, self.make_key(name))


@functools.cache
def _channel(location, name):
    return ChangeChannel(location, name)


class ChangeChannel:
    """
    Announcements that something changed, from any process to every process.

    A process that keeps a value in memory asks `quiet()` before trusting it:
    True only while it is subscribed and has heard nothing since it last asked.
    Anything else (an announcement, the first question in a process, a broken
    or renewed subscription, Redis down) is False: read the value again.
    """

    def __init__(self, location, name):
        self.name = name
        self.breaker = breaker_for(location)
        self.client = redis.Redis.from_url(
            location,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_timeout=SOCKET_TIMEOUT_SECONDS,
        )
        self.subscription = None
        self.pid = None
        self.reconnected = False

    def announce(self):
        """
        Tell every process. Never raises: a failure is logged by the breaker, and
        the others read the value again within their own interval all the same.

        Tried even while this process's breaker is open: Redis may be back, and
        a process whose breaker has closed already trusts its memory until it
        hears something. Saves are rare, so the try costs little (a refusal at
        once, a hung Redis the socket timeout).
        """
        try:
            self.client.publish(self.name, 1)
        except RedisError as error:
            if self.breaker.allows():
                self.breaker.failed(error)
        else:
            self.breaker.succeeded()

    def quiet(self) -> bool:
        if not self.breaker.allows():
            # Redis failed here lately: announcements may be failing too.
            return False
        if self.subscription is None or self.pid != os.getpid():
            # A forked worker subscribes anew; nothing before that is known.
            self._subscribe()
            return False
        heard = False
        try:
            while (message := self.subscription.get_message(timeout=0)) is not None:
                heard = heard or message["type"] == "message"
        except RedisError as error:
            self.breaker.failed(error)
            self._drop()
            return False
        # redis-py renews a broken subscription by itself; what was published
        # in between is lost.
        heard, self.reconnected = heard or self.reconnected, False
        return not heard

    def _subscribe(self):
        self.subscription = None
        if not self.breaker.allows():
            return
        subscription = self.client.pubsub()
        try:
            subscription.subscribe(self.name)
            # Only what is published after the confirmation is heard, so the
            # caller reads the value after this returns.
            confirmation = subscription.get_message(timeout=SOCKET_TIMEOUT_SECONDS * 4)
            if confirmation is None or confirmation["type"] != "subscribe":
                raise redis.ConnectionError(f"no confirmation of the subscription to {self.name}")
        except RedisError as error:
            self.breaker.failed(error)
            subscription.close()
            return
        subscription.connection.register_connect_callback(self._on_connect)
        self.subscription, self.pid, self.reconnected = subscription, os.getpid(), False

    def _on_connect(self, connection):
        self.reconnected = True

    def _drop(self):
        if self.subscription is not None:
            with contextlib.suppress(RedisError):
                self.subscription.close()
        self.subscription = None
