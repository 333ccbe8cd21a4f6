import functools
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

# The value is (version, next publication date); a key of its own, since Redis
# may still hold the plain number of the earlier format during a deploy.
CACHE_KEY = "content-version:next-publication"


class ContentVersion(models.Model):
    """
    One number that changes whenever anything a public page shows is saved,
    and when a post scheduled for later is published.

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
    # The earliest publication date still to come. When it passes, a post joins
    # the lists although nothing was saved, so the version moves on then too.
    next_publication_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "콘텐츠 버전"

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def current(cls) -> int:
        version, next_publication_at = cls._known_or_read()
        if next_publication_at is not None and timezone.now() >= next_publication_at:
            cls.bump(if_next_publication_at=next_publication_at)
            version, _next = cls._known_or_read()
        return version

    @classmethod
    def bump(cls, *, if_next_publication_at=None) -> None:
        """A new version, and the next publication date looked up again; with
        `if_next_publication_at`, only if no other process has done so since."""
        with transaction.atomic():
            # Locked before the date is looked up: a save that commits meanwhile
            # waits for it, and one that committed first is seen, instead of an
            # older answer overwriting its date.
            row, _created = cls.objects.select_for_update().get_or_create(pk=cls.SINGLETON_ID)
            if if_next_publication_at not in (None, row.next_publication_at):
                return
            cls.objects.filter(pk=cls.SINGLETON_ID).update(
                version=F("version") + 1, next_publication_at=cls._next_publication()
            )
        if settings.CONTENT_VERSION_IN_CACHE:
            # After commit: a reader must not see the new number with old rows.
            transaction.on_commit(_announce_change)

    @staticmethod
    def _next_publication():
        from community.models.post import Post  # posts use this model's signals

        return Post.objects.next_publication_date()

    @classmethod
    def _known_or_read(cls):
        """(version, next publication date)."""
        if not settings.CONTENT_VERSION_IN_CACHE:
            return cls._read()
        # Kept in process memory while no change is announced (see bump()), so
        # that a cached page costs no round trip to Redis; read again at least
        # every KNOWN_SECONDS all the same.
        now = time.monotonic()
        if _changes().changed() or _known.version is None or now > _known.until:
            known = cache.get(CACHE_KEY)
            if known is None:
                known = cls._read()
                # Not forever: a reader that read the row just before another
                # save committed may add the old number just after that save
                # deleted it; it then lives in Redis for a minute at most.
                cache.add(CACHE_KEY, known, timeout=VERSION_IN_CACHE_SECONDS)
            _known.version, _known.next_publication_at = known
            _known.until = now + KNOWN_SECONDS
        return _known.version, _known.next_publication_at

    @classmethod
    def _read(cls):
        # Plain SQL: this runs on every cached page view, and the ORM's query
        # building would cost more than the query.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT version, next_publication_at FROM {cls._meta.db_table} "  # noqa: S608
                "WHERE id = %s",
                [cls.SINGLETON_ID],
            )
            row = cursor.fetchone()
        if row is None:
            return 0, None
        version, next_publication_at = row
        # SQLite hands back a naive date in UTC here; the ORM would have made it aware.
        if next_publication_at is not None and timezone.is_naive(next_publication_at):
            next_publication_at = next_publication_at.replace(tzinfo=UTC)
        return version, next_publication_at


CHANGES_CHANNEL = "content-changed"
KNOWN_SECONDS = 1.0
VERSION_IN_CACHE_SECONDS = 60


@dataclass
class KnownVersion:
    version: int | None = None
    next_publication_at: datetime | None = None
    until: float = 0.0


_known = KnownVersion()


@functools.cache
def _changes():
    return cache.watch(CHANGES_CHANNEL)


def _announce_change():
    cache.delete(CACHE_KEY)
    _known.version = None
    cache.publish(CHANGES_CHANNEL)
