"""
The list's filter counts: posts per kind and the most used tags.

Counting reads every published post (1.15 s at a million posts), so no request
waits for it: the counts are navigation hints, kept in the cache on their own
and counted again every few minutes in a thread of the process that found them
missing or stale, while requests go on with the old counts, or the filters
without numbers before the first count ends.

The counts are kept in the database too (`FacetCounts`), and the thread
starts there: the first process to find them stale counts, holding the row,
and the others wait for its counts instead of counting again. Four server
processes counting at once after a start took several seconds on two cores,
with every request queued behind them; a restarted server reads the counts
it had.
"""

import threading
import time

from django.core.cache import cache
from django.db import OperationalError, connections, transaction

from community.models import FacetCounts, Post, Tag
from community.postgres import local_settings

FACET_TAGS = 12
# Counting takes 1.15 s of one core at a million posts.
FACETS_SECONDS = 300
FACETS_BUDGET_MS = 3000
# `counted_at` tells one count from the next (the filters' kept markup is keyed by it).
NO_FACETS = {"kinds": None, "tags": [], "counted_at": None}
# The value is (facets, fresh until); a key of its own, since a shared cache may
# still hold values of the earlier format under the old key during a deploy.
FACETS_KEY = "list-facets"
FACETS_REFRESHING_KEY = "list-facets:counting"


def tags_changed(sender, **kwargs):
    """Signal receiver: a tag was saved or deleted, so the filters' tags are counted again.

    The counts may wait (FACETS_SECONDS), but a renamed tag would show its old
    name beside list items that show the new one. The old facets stay in use
    while the next count runs. After the commit: a count started before it
    would read the old name and keep it fresh for FACETS_SECONDS. The facets
    live in the shared cache with Redis; with each process's local memory, the
    other processes keep theirs until they are stale, then count again.
    """
    transaction.on_commit(_mark_facets_stale)


def _mark_facets_stale():
    FacetCounts.objects.update(recount=True)
    cached = cache.get(FACETS_KEY)
    if cached is not None:
        cache.set(FACETS_KEY, (cached[0], 0), None)


def list_facets():
    """
    Posts per kind and the most used tags, for the list's filters, as last
    counted (see FACETS_SECONDS), or NO_FACETS before the first count ends.

    Once they are older than that, one request starts a count in the
    background (FACETS_REFRESHING_KEY keeps it to one), which may take at most
    FACETS_BUDGET_MS. Without counts, the filters are shown without numbers
    ("kinds" is None).
    """
    cached = cache.get(FACETS_KEY)
    stale = cached is None or time.time() >= cached[1]
    if stale and cache.add(FACETS_REFRESHING_KEY, True, FACETS_SECONDS):
        in_background(_count_and_keep)
        # A count that has ended already (one in the same thread does) is used at once.
        cached = cache.get(FACETS_KEY) or cached
    return cached[0] if cached is not None else NO_FACETS


def in_background(function):
    """Run `function` in a thread of this process, with database connections of its own."""

    def run():
        try:
            function()
        finally:
            connections.close_all()

    threading.Thread(target=run, name="list-facets", daemon=True).start()


def _count_and_keep():
    try:
        facets = _shared_counts()
    except OperationalError:
        # Out of time: the counting key stays, so nobody tries again for a while.
        return
    # Kept until replaced: stale counts are better than none. Fresh for as long
    # as the shared ones are, which another process may have counted earlier.
    cache.set(FACETS_KEY, (facets, facets["counted_at"] + FACETS_SECONDS), None)
    cache.delete(FACETS_REFRESHING_KEY)


def _shared_counts():
    """The counts in the database, counted again first if they are stale."""
    with transaction.atomic():
        counts = FacetCounts.locked()
        if not counts.is_fresh(FACETS_SECONDS):
            counts.record(_count_facets())
        return counts.facets


def _count_facets():
    # On one core: the count runs beside the requests. With PostgreSQL's parallel
    # workers it took three processes for 1.4 s at a million posts, every core
    # of a two-core server, and the pages served meanwhile waited (p99 90 ms
    # for the list against 37 ms for a tag's page in the same run).
    with local_settings(statement_timeout=FACETS_BUDGET_MS, max_parallel_workers_per_gather=0):
        return {
            "kinds": Post.objects.published().kind_counts(),
            "tags": list(Tag.objects.with_published_counts()[:FACET_TAGS]),
            "counted_at": time.time(),
        }
