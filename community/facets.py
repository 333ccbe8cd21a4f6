"""
The list's filter counts: posts per kind and the most used tags.

Counting reads every published post, so the counts are navigation hints kept in
the cache on their own and refreshed every few minutes, not on every save.
"""

import time

from django.core.cache import cache
from django.db import OperationalError, transaction

from community.models import Post, Tag
from community.postgres import local_settings

FACET_TAGS = 12
# Counting takes 0.8 s at a million posts.
FACETS_SECONDS = 300
FACETS_BUDGET_MS = 3000
NO_FACETS = {"kinds": None, "tags": []}
# The value is (facets, fresh until); a key of its own, since a shared cache may
# still hold values of the earlier format under the old key during a deploy.
FACETS_KEY = "list-facets"
FACETS_REFRESHING_KEY = "list-facets:counting"


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
