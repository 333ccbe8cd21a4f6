"""
Rows that every reader's page starts from (a post's, a tag's), kept per content
version beside the markup kept with them, so that a page whose markup is kept
reads no row either: only the version.
"""

from django.conf import settings
from django.core.cache import caches

from pagecache.context_processors import kept_in
from pagecache.models import ContentVersion


def kept_row(kind, slug, read, *, keep=None):
    """
    The row of `kind` at `slug`, kept, or `read()` (which may raise Http404)
    and kept if `keep(row)` says so (every row, without `keep`). A save moves
    the content version and with it the key, so a kept row is never stale;
    nothing is kept when fragments are not (FRAGMENT_CACHE_SECONDS=0).
    """
    cache = caches[kept_in(settings.FRAGMENT_CACHE_SECONDS)]
    key = f"row:{kind}:{ContentVersion.current()}:{slug}"
    row = cache.get(key)
    if row is None:
        row = read()
        if keep is None or keep(row):
            cache.set(key, row, settings.FRAGMENT_CACHE_SECONDS)
    return row
