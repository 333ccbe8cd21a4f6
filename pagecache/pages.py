"""
Whole public pages, cached under the content version (models.py).

A page is keyed by its host, path and the query parameters its view reads, and
by the current `ContentVersion`: a save anywhere moves the version, so the next
request renders afresh, in every server process. A cached page is the same for
every anonymous reader, so one copy serves all; a signed-in member's requests
neither read nor fill the cache (their pages carry their menu) and are private.

`cached_page` marks a view and stores its pages; `CachedPageMiddleware` serves
them before URL dispatch, which makes a cached page cheaper than a view. An
address with a query parameter the view does not read is redirected to the one
without it, so made-up parameters cannot fill the cache.

With Redis (settings.CACHES["default"]), pages are kept there for every process
and, in front of it, in each process's memory (`local_pages`); the key carries
the version, so a stale copy is never served. While Redis is down, the memory
copy serves (backends.RedisCache answers as a miss).
"""

import gzip
import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache, caches
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, resolve
from django.utils.text import compress_string

from pagecache.models import ContentVersion

# A cached page is (gzipped content, KEPT_HEADERS). The prefix changes with
# that format, so that processes of an earlier deploy sharing Redis never read it.
PAGE_KEY_PREFIX = "gzpage"
# Set by the view, where the middleware sets the others on every response. A
# sitemap's X-Robots-Tag keeps the sitemap file itself out of search results.
KEPT_HEADERS = ("Content-Type", "X-Robots-Tag")
# Browsers keep the page but ask again each time; an unchanged page is a 304
# (ConditionalGetMiddleware compares the ETag).
REVALIDATE = "no-cache, public"
# A member's page: kept by no shared cache (a proxy, a CDN) on the way.
PERSONAL = "no-cache, private"


def cached_page(view=None, *, query=()):
    """
    Serve the view's 200 responses from the cache until content changes.

    `query` names the query parameters the view reads; a request with any other
    is redirected (301) to the address without them.
    """
    if view is None:
        return lambda view: cached_page(view, query=query)
    allowed = frozenset(query)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not allowed.issuperset(request.GET):
            return _without_unknown_parameters(request, allowed)
        if _signed_in(request):
            response = view(request, *args, **kwargs)
            if not _is_private(response):  # an editor's preview says no-store itself
                response["Cache-Control"] = PERSONAL
            return response
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout:
            return _revalidate(view(request, *args, **kwargs))
        # CachedPageMiddleware has looked for the page already if it is installed.
        looked = getattr(request, "page_cache_key", None)
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
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            cached = (compress_string(response.content), headers)
            _store_page(key, cached, timeout)
        return _serve(request, cached, etag)

    wrapper.page_query = allowed
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
        ):
            allowed = _page_query(request)
            if allowed is not None and allowed.issuperset(request.GET):
                request.page_cache_key = key, etag = _page_key(request)
                cached = _find_page(key)
                if cached is not None:
                    return _serve(request, cached, etag)
        return self.get_response(request)


def _signed_in(request):
    """
    A signed-in session: a member's pages carry their menu, so they neither read
    nor fill the shared cache. Free for a reader without a session cookie (every
    anonymous reader but one in the middle of signing up or in): the session is
    not even looked at, so the response does not vary by cookie.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES and SESSION_KEY in request.session


def _page_query(request):
    """The query parameters of the request's cached view, or None if it has none."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return getattr(match.func, "page_query", None)


def _without_unknown_parameters(request, allowed):
    kept = request.GET.copy()
    for name in set(kept) - allowed:
        del kept[name]
    query = kept.urlencode()
    return HttpResponsePermanentRedirect(request.path + ("?" + query if query else ""))


def _page_key(request):
    """The cache key of the request's page in the current content version, and its ETag."""
    # Pages name their own absolute URL (canonical links), hence the host.
    url = request.get_host() + request.get_full_path()
    path_hash = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
    version = ContentVersion.current()
    # The page changes only with the version, so the ETag need not hash it.
    return f"{PAGE_KEY_PREFIX}:{version}:{path_hash}", f"{version}-{path_hash}"


def _local_pages():
    """This process's own copy of pages in front of a shared cache, if settings have one
    (with Redis): a page is fetched from Redis once per process, then served from memory."""
    return caches["local_pages"] if "local_pages" in settings.CACHES else None


def _find_page(key):
    local = _local_pages()
    cached = local.get(key) if local else None
    if cached is None:
        cached = cache.get(key)
        if cached is not None and local:
            local.set(key, cached, settings.PAGE_CACHE_SECONDS)
    return cached


def _store_page(key, cached, timeout):
    cache.set(key, cached, timeout)
    if local := _local_pages():
        local.set(key, cached, timeout)


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


def _revalidate(response):
    # Set outright: these views set no cache headers of their own to merge
    # with, but for a page meant for one visitor (an editor's preview).
    if not _is_private(response):
        response["Cache-Control"] = REVALIDATE
    return response


def _is_private(response):
    return "private" in response.get("Cache-Control", "")
