"""
Keyset pagination for the newest-first post list.

A page is addressed by the (published_at, id) of a row next to it, so reading
page 50,000 costs the same index range scan as page 1: no OFFSET, no COUNT(*).
The URLs stay valid as new posts arrive (`?before=` always shows the posts
after that one).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q

from community.postgres import first_rows

MAX_CURSOR_LENGTH = 40


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    published_at: datetime
    pk: int

    @classmethod
    def of(cls, post):
        return cls(post.published_at, post.pk)

    @classmethod
    def parse(cls, raw: str) -> "Cursor":
        """Read a cursor from a URL: `<microseconds since the epoch>_<id>`."""
        try:
            if len(raw) > MAX_CURSOR_LENGTH:
                raise ValueError
            micros, pk = (int(part) for part in raw.split("_"))
            if micros < 0 or pk < 1:
                raise ValueError
            published_at = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise InvalidCursor("페이지 위치(cursor) 값이 올바르지 않습니다.") from None
        return cls(published_at, pk)

    def __str__(self):
        micros = int(self.published_at.timestamp()) * 1_000_000 + self.published_at.microsecond
        return f"{micros}_{self.pk}"


@dataclass
class KeysetPage:
    items: list
    newer: Cursor | None
    older: Cursor | None


def keyset_before(queryset, cursor):
    """Rows older than the cursor's row in (published_at, id) order."""
    # The first condition bounds the index range; the second breaks ties.
    return queryset.filter(
        Q(published_at__lte=cursor.published_at)
        & (Q(published_at__lt=cursor.published_at) | Q(pk__lt=cursor.pk))
    )


def keyset_after(queryset, cursor):
    """Rows newer than the cursor's row in (published_at, id) order."""
    return queryset.filter(
        Q(published_at__gte=cursor.published_at)
        & (Q(published_at__gt=cursor.published_at) | Q(pk__gt=cursor.pk))
    )


def paginate_newest_first(queryset, *, before=None, after=None, size, sparse=False):
    """
    One page of `queryset` in (published_at, id) descending order.

    `before` gives the page of posts older than that cursor, `after` the page of
    posts newer than it; with neither, the newest page. A page of newer posts is
    always full: with fewer than `size` of them left, it is the newest page.
    `sparse`: the queryset's filter (a tag) may match only old posts, so its
    reads go through `first_rows`, which bounds the walk of the list's index.
    """
    read = _bounded if sparse else _head
    if after is not None:
        # Find where that page starts, then read it as any other page: the
        # newest page, or the posts older than the one just above it.
        keys = read(
            keyset_after(queryset, after)
            .order_by("published_at", "pk")
            .values_list("published_at", "pk"),
            size + 1,
        )
        before = Cursor(*keys[size]) if len(keys) > size else None
    if before is not None:
        queryset = keyset_before(queryset, before)
    rows = read(queryset.order_by("-published_at", "-pk"), size + 1)
    if not rows:
        return KeysetPage(items=[], newer=None, older=None)
    items = rows[:size]
    return KeysetPage(
        items=items,
        newer=Cursor.of(items[0]) if before is not None else None,
        older=Cursor.of(items[-1]) if len(rows) > size else None,
    )


def _head(queryset, limit):
    return list(queryset[:limit])


def _bounded(queryset, limit):
    [rows] = first_rows([queryset], limit)
    return rows
