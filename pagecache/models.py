"""
The content version: how an editor's save reaches every server's cached pages.

1. A content app names its models once (`watch_content`, in its AppConfig.ready).
   Every save or delete of one of them, and every change of their many-to-many
   links, calls `ContentVersion.bump()` in the saving transaction: the version
   row changes with the content or not at all, whatever Redis is doing.
2. Cached pages are keyed by the version (pages.py), and so are the pieces of
   markup that every reader shares, which serve the pages no cached page can
   (a signed-in member's, or with the page cache off): a template keeps them with
   `{% cache fragment_seconds name ... content_version using=fragment_cache %}`
   (context_processors.py).
   A new version is new keys: nothing is deleted, old entries are never found
   again and expire.
3. Each server process keeps the version in memory, so a cached page costs no
   query. After the save commits, `bump` announces it on a Redis channel that
   every process listens to (backends.ChangeChannel); a process reads the row
   again before its next page when it heard something, when it cannot know (its
   first page, Redis down or just back), and every KNOWN_SECONDS all the same.
   Without Redis, and while it is down, it reads the row on every page.

A post scheduled for later changes what pages show without a save, so the row
also holds the earliest such date (`next_change`), and the first request after
it moves the version on.
"""

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from simple_history.models import HistoricalChanges

logger = logging.getLogger(__name__)

CHANGES_CHANNEL = "content-changed"
# How long a process trusts its copy without hearing anything: a bound on what
# an announcement lost to a Redis fault can cost.
KNOWN_SECONDS = 1.0

_next_change_sources = []


def watch_content(models, *, next_change=None):
    """Every save and delete of these models, and of their many-to-many links, moves
    the content version on. `next_change()`, if given, answers when content changes
    without a save (the next scheduled publication), or None."""
    for model in models:
        if issubclass(model, HistoricalChanges | ContentVersion):
            continue  # revisions are saved beside a change that bumps already
        uid = f"pagecache:{model._meta.label}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_content_changed, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _content_changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field}"
            )
    if next_change is not None and next_change not in _next_change_sources:
        _next_change_sources.append(next_change)


def _content_changed(sender, **kwargs):
    ContentVersion.bump()


class ContentVersion(models.Model):
    """One number that changes whenever anything a public page shows changes."""

    SINGLETON_ID = 1

    version = models.PositiveBigIntegerField(default=1)
    next_publication_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table of the days when this model was part of community.
        db_table = "community_contentversion"
        verbose_name = verbose_name_plural = "콘텐츠 버전"

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def current(cls) -> int:
        # One version for the whole request: its page's key and its fragments'
        # keys agree, and without Redis the row is read once, not per key.
        version = getattr(_this_request, "version", None)
        if version is None:
            version, next_change_at = _known_or_read()
            if next_change_at is not None and timezone.now() >= next_change_at:
                cls.bump(if_next_change_at=next_change_at)
                version, _next = _known_or_read()
            if getattr(_this_request, "serving", False):
                _this_request.version = version
        return version

    @classmethod
    def bump(cls, *, if_next_change_at=None) -> None:
        """A new version, and the next change date looked up again; with
        `if_next_change_at`, only if no other process has done so since."""
        _this_request.version = None
        with transaction.atomic():
            # Locked before the date is looked up: a save that commits meanwhile
            # waits for it, and one that committed first is seen, instead of an
            # older answer overwriting its date.
            row, _created = cls.objects.select_for_update().get_or_create(pk=cls.SINGLETON_ID)
            if if_next_change_at not in (None, row.next_publication_at):
                return
            cls.objects.filter(pk=cls.SINGLETON_ID).update(
                version=F("version") + 1, next_publication_at=_next_change()
            )
        # After the commit: a process told earlier could read the old row. Robust:
        # the save has committed, and nothing after it may answer it as failed.
        transaction.on_commit(_announce_change, robust=True)


def _next_change():
    dates = [date for source in _next_change_sources if (date := source()) is not None]
    return min(dates, default=None)


@dataclass
class KnownVersion:
    version: int | None = None
    next_change_at: datetime | None = None
    until: float = 0.0


_known = KnownVersion()
# The version the request being served has read (a server thread serves one
# request at a time); outside a request, every call reads.
_this_request = threading.local()


def _request_started(**kwargs):
    _this_request.serving, _this_request.version = True, None


def _request_finished(**kwargs):
    _this_request.serving, _this_request.version = False, None


request_started.connect(_request_started, dispatch_uid="pagecache.request_started")
request_finished.connect(_request_finished, dispatch_uid="pagecache.request_finished")


def _channel():
    # Only a cache that every process shares can carry announcements (Redis);
    # with each process's local memory there is nobody to tell.
    change_channel = getattr(cache, "change_channel", None)
    return change_channel(CHANGES_CHANNEL) if change_channel else None


def _known_or_read():
    """(version, next change date), from memory while that is safe, else from the row."""
    channel = _channel()
    now = time.monotonic()
    # Asked every time: reading the subscription also empties it.
    quiet = channel is not None and channel.quiet()
    if not (quiet and _known.version is not None and now < _known.until):
        _known.version, _known.next_change_at = _read()
        _known.until = now + KNOWN_SECONDS
    return _known.version, _known.next_change_at


def _read():
    # Plain SQL: this runs on cached pages, and the ORM's query building would
    # cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version, next_publication_at FROM {ContentVersion._meta.db_table} "  # noqa: S608
            "WHERE id = %s",
            [ContentVersion.SINGLETON_ID],
        )
        row = cursor.fetchone()
    if row is None:
        return 0, None
    version, next_change_at = row
    # SQLite hands back a naive date in UTC here; the ORM would have made it aware.
    if next_change_at is not None and timezone.is_naive(next_change_at):
        next_change_at = next_change_at.replace(tzinfo=UTC)
    return version, next_change_at


def _announce_change():
    _known.version = None
    if channel := _channel():
        channel.announce()
