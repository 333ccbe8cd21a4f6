"""
Whole-page caching for the public pages.

A cached page is keyed by the request's path and query and by the current
`ContentVersion`; any save of content bumps that version (`content_changed`),
so the next request renders afresh, in every server process. Pages are the
same for every visitor (no user-specific markup), so one copy serves all.
"""

import gzip
import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse

from community.models import ContentVersion, Post, Tag

FACET_TAGS = 12
# Counting posts per kind and per tag reads every post (1.7 s at a million), so
# the counts are navigation hints refreshed every few minutes, not on every save.
FACETS_SECONDS = 300


def cached_page(view):
    """Serve the view's 200 responses from the cache until content changes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout:
            return _revalidate(view(request, *args, **kwargs))
        # Pages name their own absolute URL (canonical links), hence the host.
        url = request.get_host() + request.get_full_path()
        path_hash = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
        version = ContentVersion.current()
        key = f"page:{version}:{path_hash}"
        cached = _local_pages().get(key)
        if cached is None:
            cached = cache.get(key) if settings.CONTENT_VERSION_IN_CACHE else None
            if cached is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.cookies:
                    return _revalidate(response)
                # Compressed once here, not on every request.
                compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
                cached = (response.content, compressed, response["Content-Type"])
                cache.set(key, cached, timeout)
            _local_pages().set(key, cached, timeout)
        content, compressed, content_type = cached
        # The page changes only with the version, so the ETag need not hash it.
        etag = f"{version}-{path_hash}"
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(compressed, content_type=content_type)
            response["Content-Encoding"] = "gzip"
            etag += "-gzip"
        else:
            response = HttpResponse(content, content_type=content_type)
        response["ETag"] = f'"{etag}"'
        response["Vary"] = "Accept-Encoding"
        return _revalidate(response)

    return wrapper


def _local_pages():
    """
    This process's own copy of pages. With a shared cache (Redis) a page is fetched
    from it once per process and then served from memory; the key carries the content
    version, so a stale copy is never served, only left to expire.
    """
    return caches["local_pages"] if settings.CONTENT_VERSION_IN_CACHE else cache


# Browsers keep the page but ask again each time; an unchanged page is a 304
# (ConditionalGetMiddleware compares the ETag).
REVALIDATE = "no-cache, public"


def _revalidate(response):
    # Set outright: these views set no cache headers of their own to merge with.
    response["Cache-Control"] = REVALIDATE
    return response


def content_changed(sender, **kwargs):
    """Signal receiver: something a public page shows was saved or deleted."""
    ContentVersion.bump()


def list_facets():
    """Posts per kind and the most used tags, for the list's filters (see FACETS_SECONDS)."""
    facets = cache.get("facets")
    if facets is None:
        facets = {
            "kinds": Post.objects.published().kind_counts(),
            "tags": list(Tag.objects.with_published_counts()[:FACET_TAGS]),
        }
        cache.set("facets", facets, FACETS_SECONDS)
    return facets
