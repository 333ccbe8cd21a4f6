"""
A page of the community list, as its template reads it: the newest posts from
a cursor, or a search's results.

A page is the same for every reader of its address until content changes, so
the template keeps its markup (`{% cache %}`, keyed by the address and the
content version; pagecache/context_processors.py) and reads the page only when
that is missing: `page` is read on first use. A search's pages are kept apart
(the "searches" cache, of a bounded size): each query is an address of its own.
"""

from django.conf import settings
from django.utils.functional import cached_property

from community import search
from community.models import Post
from community.pagination import Cursor, paginate_newest_first
from pagecache.context_processors import kept_in


class NewestFirstListing:
    """The page of the list (of `kind`, with `tag`) that `params` ask for."""

    def __init__(self, params, *, kind=None, tag=None):
        # Parsed now: a bad cursor is answered with a 400 (InvalidCursor), not
        # found halfway through rendering.
        self.before = Cursor.parse(params["before"]) if "before" in params else None
        self.after = Cursor.parse(params["after"]) if "after" in params else None
        self._params, self._kind, self._tag = params, kind, tag
        self.seconds = settings.FRAGMENT_CACHE_SECONDS
        self.cache = kept_in(self.seconds)

    @cached_property
    def page(self):
        # The query is built here, not in the view: building it costs as much
        # as rendering a kept page.
        return paginate_newest_first(
            Post.objects.listed(kind=self._kind, tag=self._tag).for_list(),
            before=self.before,
            after=self.after,
            size=settings.COMMUNITY_PAGE_SIZE,
            sparse=self._tag is not None,
        )

    @property
    def newer_url(self):
        return with_paging(self._params, after=self.page.newer) if self.page.newer else None

    @property
    def older_url(self):
        return with_paging(self._params, before=self.page.older) if self.page.older else None

    more_url = None


class SearchListing:
    """The page of a search for `query` in the list (of `kind`, with `tag`)
    that `params` ask for."""

    newer_url = older_url = None

    def __init__(self, query, params, *, kind=None, tag=None):
        cursor = params.get("cursor")
        # Parsed now, as NewestFirstListing's cursors are.
        self.cursor = search.SearchCursor.parse(cursor) if cursor else None
        self._query, self._params, self._kind, self._tag = query, params, kind, tag
        self.seconds = settings.FRAGMENT_CACHE_SECONDS
        self.cache = kept_in(self.seconds, "searches")

    @cached_property
    def page(self):
        # Built here, as NewestFirstListing's query is: only when not kept.
        return search.search_page(
            Post.objects.listed(kind=self._kind, tag=self._tag).for_search(),
            self._query,
            cursor=self.cursor,
            size=settings.COMMUNITY_PAGE_SIZE,
        )

    @property
    def more_url(self):
        return with_paging(self._params, cursor=self.page.more) if self.page.more else None


def with_paging(params, **changes):
    """This page's query string with the paging parameters replaced."""
    query = params.copy()
    for name in ("before", "after", "cursor"):
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = str(value)
    return query_string(query)


def query_string(params):
    return "?" + params.urlencode() if params else ""
