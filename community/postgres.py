"""PostgreSQL settings that hold for one block of work only."""

from contextlib import contextmanager

from django.db import OperationalError, connection, transaction


@contextmanager
def local_settings(**settings):
    """
    Runs the block in a savepoint with these PostgreSQL settings, for example
    `local_settings(statement_timeout=50)`. On other databases the block just runs.

    SET LOCAL outlives a released savepoint, so the settings are reset when the
    block ends, for the rest of an enclosing transaction; a block that fails (a
    statement out of time) rolls them back with its savepoint.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        calls = ", ".join("set_config(%s, %s, true)" for _ in settings)
        cursor.execute(f"SELECT {calls}", [str(x) for item in settings.items() for x in item])
        yield
        # The names are keyword arguments from this project's code.
        cursor.execute("; ".join(f"RESET {name}" for name in settings))


# How long PostgreSQL may walk the list's index for rows that match a filter
# before first_rows collects the matches instead.
WALK_BUDGET_MS = 50
# Index scans off: the matching rows are found through the link tables'
# indexes as bitmaps, then sorted, instead of walking the list's index.
COLLECTING_MATCHES_FIRST = {"enable_indexscan": "off"}


def first_rows(queryset, limit):
    """
    The first `limit` rows of a newest-first queryset whose filter may match
    only old posts (a tag or a format).

    PostgreSQL reads such a query by walking the list's index until `limit`
    rows match, estimating that matches are spread evenly over time. For a tag
    used only on old posts the walk crosses every newer post: 6.9 s at a
    million posts, for a tag on the 10,000 oldest. So the walk gets
    WALK_BUDGET_MS; past that, the matches are collected first and sorted,
    which costs in proportion to their number (24 ms for those 10,000). A
    common tag or format is found within the budget (0.05 ms). On other
    databases the query just runs.
    """
    try:
        with local_settings(statement_timeout=WALK_BUDGET_MS):
            return list(queryset[:limit])
    except OperationalError:
        with local_settings(**COLLECTING_MATCHES_FIRST):
            return list(queryset[:limit])
