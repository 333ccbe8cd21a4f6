"""
Django's RedisCache, with one client object per connection pool instead of one per
operation, and publish/subscribe for values that processes keep in memory.

Django's client builds a new redis-py `Redis` object on every get and set; each
build fills a table of about 170 response callbacks, which measured at a quarter
of a millisecond per request on a cached page (bench/README.md). `Redis`
objects are safe to share between threads, since each command takes a
connection from the pool.
"""

import os

from django.core.cache.backends import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError


class ReusingRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def publish(self, channel):
        """Tell every process watching `channel` (see `ChannelWatch`)."""
        self._cache.get_client(write=True).publish(self.make_key(channel), 1)

    def watch(self, channel):
        return ChannelWatch(self._cache.get_client(write=True), self.make_key(channel))


class ChannelWatch:
    """
    This process's subscription to a Redis channel, read without waiting: a
    value kept in process memory can then be trusted until someone announces a
    change, instead of being fetched from Redis on every request.
    """

    def __init__(self, client, channel):
        self._client = client
        self._channel = channel
        self._pubsub = None
        self._pid = None
        self._reconnected = False

    def changed(self) -> bool:
        """
        Whether anything was published on the channel since the last call; also
        True when that cannot be known: on the first call in a process (a forked
        worker subscribes anew) and after the connection broke.
        """
        try:
            if self._pubsub is None or self._pid != os.getpid():
                self._subscribe()
                return True
            changed = False
            while (message := self._pubsub.get_message(timeout=0)) is not None:
                changed = changed or message["type"] == "message"
        except RedisError:
            self._pubsub = None
            return True
        # redis-py reconnects and subscribes again by itself; what was published
        # in between is lost, so a reconnection counts as a change.
        changed, self._reconnected = changed or self._reconnected, False
        return changed

    def _on_connect(self, connection):
        self._reconnected = True

    def _subscribe(self):
        pubsub = self._client.pubsub()
        pubsub.subscribe(self._channel)
        # Only what is published after the confirmation is heard, so the caller
        # reads the value after this returns.
        confirmation = pubsub.get_message(timeout=5)
        if confirmation is None or confirmation["type"] != "subscribe":
            raise RedisConnectionError(f"no confirmation of the subscription to {self._channel}")
        pubsub.connection.register_connect_callback(self._on_connect)
        self._pubsub, self._pid, self._reconnected = pubsub, os.getpid(), False
