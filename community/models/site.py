import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import F

CACHE_KEY = "content-version"


class ContentVersion(models.Model):
    """
    One number that changes whenever anything a public page shows is saved.

    Cached pages are keyed by it, so a save invalidates every cached page at
    once, in every server process. The row in the database is the truth. When
    the cache is shared by all processes (Redis), the number is also kept
    there, so that a cached page costs no query, and each process keeps it in
    memory too. A change deletes it from Redis after the transaction commits
    and announces that on a Redis channel that every process watches, so the
    next request anywhere fetches it anew.
    """

    SINGLETON_ID = 1

    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = verbose_name_plural = "콘텐츠 버전"

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def current(cls) -> int:
        if not settings.CONTENT_VERSION_IN_CACHE:
            return cls._read()
        # Kept in process memory while no change is announced (see bump()), so
        # that a cached page costs no round trip to Redis; read again at least
        # every KNOWN_SECONDS all the same.
        now = time.monotonic()
        if _changes().changed() or _known.version is None or now > _known.until:
            version = cache.get(CACHE_KEY)
            if version is None:
                version = cls._read()
                # Not forever: a reader that read the row just before another
                # save committed may add the old number just after that save
                # deleted it; it then lives in Redis for a minute at most.
                cache.add(CACHE_KEY, version, timeout=VERSION_IN_CACHE_SECONDS)
            _known.version, _known.until = version, now + KNOWN_SECONDS
        return _known.version

    @classmethod
    def bump(cls) -> None:
        updated = cls.objects.filter(pk=cls.SINGLETON_ID).update(version=F("version") + 1)
        if not updated:
            cls.objects.get_or_create(pk=cls.SINGLETON_ID, defaults={"version": 2})
        if settings.CONTENT_VERSION_IN_CACHE:
            # After commit: a reader must not see the new number with old rows.
            transaction.on_commit(_announce_change)

    @classmethod
    def _read(cls) -> int:
        # Plain SQL: this runs on every cached page view, and the ORM's query
        # building would cost more than the query.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT version FROM {cls._meta.db_table} WHERE id = %s",  # noqa: S608
                [cls.SINGLETON_ID],
            )
            row = cursor.fetchone()
        return row[0] if row else 0


CHANGES_CHANNEL = "content-changed"
KNOWN_SECONDS = 1.0
VERSION_IN_CACHE_SECONDS = 60


@dataclass
class KnownVersion:
    version: int | None = None
    until: float = 0.0


_known = KnownVersion()


@functools.cache
def _changes():
    return cache.watch(CHANGES_CHANNEL)


def _announce_change():
    cache.delete(CACHE_KEY)
    _known.version = None
    cache.publish(CHANGES_CHANNEL)
