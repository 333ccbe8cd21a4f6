"""
Whole-page caching for the public pages.

A cached page is keyed by the request's path and query and by the current
`ContentVersion`; any save of content bumps that version (`content_changed`),
so the next request renders afresh, in every server process. A cached page is
the same for every anonymous reader, so one copy serves all; a signed-in
member's requests neither read nor fill the cache (their pages carry their
menu), and are marked private.
The `cached_page` view decorator stores pages; `CachedPageMiddleware` serves
them early in the request, which makes a cached page cheaper than a view.
"""

import gzip
import hashlib
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache, caches
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, resolve
from django.utils.text import compress_string

from community.models import ContentVersion, Post, Tag
from community.postgres import local_settings

# A cached page is (gzipped content, KEPT_HEADERS). The prefix changed with
# that format, so that processes of an earlier deploy sharing Redis never read it.
PAGE_KEY_PREFIX = "gzpage"
# Set by the view, where the middleware sets the others on every response. A
# sitemap's X-Robots-Tag keeps the sitemap file itself out of search results;
# its Last-Modified is dropped, since the ETag answers conditional requests.
KEPT_HEADERS = ("Content-Type", "X-Robots-Tag")
FACET_TAGS = 12
# Counting posts per kind and per tag reads every published post (0.8 s at a
# million), so the counts are navigation hints refreshed every few minutes, not
# on every save.
FACETS_SECONDS = 300
FACETS_BUDGET_MS = 3000
NO_FACETS = {"kinds": None, "tags": []}
# The value is (facets, fresh until); a key of its own, since a shared cache may
# still hold values of the earlier format under the old key during a deploy.
FACETS_KEY = "list-facets"
FACETS_REFRESHING_KEY = "list-facets:counting"


def cached_page(view):
    """Serve the view's 200 responses from the cache until content changes."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        if _signed_in(request):
            response = view(request, *args, **kwargs)
            if not _is_private(response):  # an editor's preview says no-store itself
                response["Cache-Control"] = PERSONAL
            return response
        if not timeout:
            return _revalidate(view(request, *args, **kwargs))
        # CachedPageMiddleware has looked for the page already if it is installed.
        looked = getattr(request, "_page_key", None)
        key, etag = looked or _page_key(request)
        cached = None if looked else _find_page(key)
        if cached is None:
            response = view(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):
                response.render()  # the sitemaps' views answer with one
            if response.status_code != 200 or response.cookies:
                return _revalidate(response)
            if _is_private(response):
                return response  # the view's own answer, for this visitor only
            # Compressed once here, not on every request, and kept only so: a
            # sitemap page is 600 KB of XML and 60 KB gzipped.
            compressed = compress_string(response.content)
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cached = (compressed, headers)
            cache.set(key, cached, timeout)
            if settings.CONTENT_VERSION_IN_CACHE:
                _local_pages().set(key, cached, timeout)
        return _serve(request, cached, etag)

    wrapper.serves_cached_page = True
    return wrapper


class CachedPageMiddleware:
    """
    Serves a page that `cached_page` has stored before the rest of the request
    is handled: no URL dispatch, and none of the middleware below this one
    (CSRF, login, messages, history and lockout checks do nothing for reading a
    page that is the same for every visitor). Headers that every response
    carries come from the middleware above it, which also turns an unchanged
    page into a 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.PAGE_CACHE_SECONDS
            and not _signed_in(request)
            and _shows_cached_page(request)
        ):
            request._page_key = key, etag = _page_key(request)
            cached = _find_page(key)
            if cached is not None:
                return _serve(request, cached, etag)
        return self.get_response(request)


def _signed_in(request):
    """A signed-in session. Free for a reader without a session cookie (every
    anonymous reader but one in the middle of signing up or in): the session is
    not even looked at, so the response does not vary by cookie."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session


def _shows_cached_page(request):
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "serves_cached_page", False)


def _page_key(request):
    """The cache key of the request's page in the current content version, and its ETag."""
    # Pages name their own absolute URL (canonical links), hence the host.
    url = request.get_host() + request.get_full_path()
    path_hash = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
    version = ContentVersion.current()
    # The page changes only with the version, so the ETag need not hash it.
    return f"{PAGE_KEY_PREFIX}:{version}:{path_hash}", f"{version}-{path_hash}"


def _find_page(key):
    cached = _local_pages().get(key)
    if cached is None and settings.CONTENT_VERSION_IN_CACHE:
        cached = cache.get(key)
        if cached is not None:
            _local_pages().set(key, cached, settings.PAGE_CACHE_SECONDS)
    return cached


def _serve(request, cached, etag):
    compressed, headers = cached
    if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response = HttpResponse(compressed, headers=headers)
        response["Content-Encoding"] = "gzip"
        etag += "-gzip"
    else:
        # Rare (browsers and crawlers ask for gzip), and 0.015 ms for a 15 KB page.
        response = HttpResponse(gzip.decompress(compressed), headers=headers)
    response["ETag"] = f'"{etag}"'
    response["Vary"] = "Accept-Encoding"
    return _revalidate(response)


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
# A member's page: kept by no shared cache (a proxy, a CDN) on the way.
PERSONAL = "no-cache, private"


def _revalidate(response):
    # Set outright: these views set no cache headers of their own to merge
    # with, but for a page meant for one visitor (an editor's preview).
    if not _is_private(response):
        response["Cache-Control"] = REVALIDATE
    return response


def _is_private(response):
    return "private" in response.get("Cache-Control", "")


def content_changed(sender, **kwargs):
    """Signal receiver: something a public page shows was saved or deleted."""
    ContentVersion.bump()


def tags_changed(sender, **kwargs):
    """Signal receiver: a tag was saved or deleted, so the filters' tags are counted again.

    The counts may wait (FACETS_SECONDS), but a renamed tag would show its old
    name beside list items that show the new one. The old facets stay in use
    while the next request counts. After the commit: a count started before it
    would read the old name and keep it fresh for FACETS_SECONDS. The facets
    live in the shared cache with Redis; with each process's local memory, the
    other processes keep theirs until they are stale.
    """
    transaction.on_commit(_mark_facets_stale)


def _mark_facets_stale():
    cached = cache.get(FACETS_KEY)
    if cached is not None:
        cache.set(FACETS_KEY, (cached[0], 0), None)


def list_facets():
    """
    Posts per kind and the most used tags, for the list's filters (see FACETS_SECONDS).

    Once they are older than that, one request counts them again while every
    other request goes on with the old counts (or none, before the first count
    ends), and the counting may take at most FACETS_BUDGET_MS: at a million
    posts it takes 0.8 s when the table is in memory, and several seconds when
    it is not. Without counts, the filters are shown without numbers ("kinds"
    is None).
    """
    cached = cache.get(FACETS_KEY)
    stale = None
    if cached is not None:
        stale, fresh_until = cached
        if time.time() < fresh_until:
            return stale
    if not cache.add(FACETS_REFRESHING_KEY, True, FACETS_SECONDS):
        return stale or NO_FACETS  # another request is counting
    try:
        facets = _count_facets()
    except OperationalError:
        # Out of time: the counting key stays, so nobody tries again for a while.
        return stale or NO_FACETS
    # Kept until replaced: stale counts are better than counting on every miss.
    cache.set(FACETS_KEY, (facets, time.time() + FACETS_SECONDS), None)
    cache.delete(FACETS_REFRESHING_KEY)
    return facets


def _count_facets():
    with local_settings(statement_timeout=FACETS_BUDGET_MS):
        return {
            "kinds": Post.objects.published().kind_counts(),
            "tags": list(Tag.objects.with_published_counts()[:FACET_TAGS]),
        }
