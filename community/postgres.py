"""PostgreSQL settings that hold for one block of work only."""

from contextlib import contextmanager

from django.db import OperationalError, connection, transaction


@contextmanager
def local_settings(**settings):
    """
    Runs the block with these PostgreSQL settings, for example
    `local_settings(statement_timeout=50)`. On other databases the block just runs.

    Outside a transaction (autocommit, as a request runs) they are the
    session's for the block and reset after it: a statement out of time there
    aborts nothing, and the block costs two round trips, where a transaction
    around it would cost four. Inside one (a test, an admin save) the block
    runs in a savepoint with SET LOCAL, which outlives a released savepoint,
    so the settings are reset when the block ends; a block that fails (a
    statement out of time) rolls them back with its savepoint.
    """
    if connection.vendor != "postgresql":
        yield
        return
    # The names are keyword arguments from this project's code.
    reset = "; ".join(f"RESET {name}" for name in settings)
    if connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute(*_set_config(settings, is_local=False))
            try:
                yield
            finally:
                cursor.execute(reset)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(*_set_config(settings, is_local=True))
        yield
        cursor.execute(reset)


def _set_config(settings, *, is_local):
    calls = ", ".join(f"set_config(%s, %s, {str(is_local).lower()})" for _ in settings)
    return f"SELECT {calls}", [str(x) for item in settings.items() for x in item]


# How long PostgreSQL may walk the list's index for rows that match a filter
# before first_rows collects the matches instead.
WALK_BUDGET_MS = 50
# Index scans off: the matching rows are found through the link tables'
# indexes as bitmaps, then sorted, instead of walking the list's index.
COLLECTING_MATCHES_FIRST = {"enable_indexscan": "off"}


def first_rows(querysets, limit):
    """
    The first `limit` rows of each of these newest-first querysets, whose
    filters may match only old posts (a tag or a format): a list per queryset.

    PostgreSQL reads such a query by walking the list's index until `limit`
    rows match, estimating that matches are spread evenly over time. For a tag
    used only on old posts the walk crosses every newer post: 6.9 s at a
    million posts, for a tag on the 10,000 oldest. So each walk gets
    WALK_BUDGET_MS (the querysets share one time limit, set once); past that,
    that queryset's matches are collected first and sorted, which costs in
    proportion to their number (24 ms for those 10,000), and the ones after it
    are read as before. A common tag or format is found within the budget
    (0.05 ms). On other databases the queries just run.
    """
    if not querysets:
        return []
    rows = []
    try:
        with local_settings(statement_timeout=WALK_BUDGET_MS):
            for queryset in querysets:
                rows.append(list(queryset[:limit]))
    except OperationalError:
        late = querysets[len(rows)]
        with local_settings(**COLLECTING_MATCHES_FIRST):
            rows.append(list(late[:limit]))
        rows += first_rows(querysets[len(rows) :], limit)
    return rows
