"""PostgreSQL settings that hold for one block of work only."""

from contextlib import contextmanager, nullcontext

from django.db import OperationalError, connection, transaction


@contextmanager
def local_settings(**settings):
    """
    Runs the block with these PostgreSQL settings, for example
    `local_settings(statement_timeout=50)`, and resets them after it. On other
    databases the block just runs.

    Inside a transaction (a test, an admin save) the block runs in a
    savepoint, so that a statement out of time there rolls back the savepoint
    (and the settings with it) instead of aborting the transaction. Outside
    one (autocommit, as a request runs) it needs none: the block costs two
    round trips, where a transaction around it would cost four.
    """
    if connection.vendor != "postgresql":
        yield
        return
    in_transaction = not connection.get_autocommit()
    with connection.cursor() as cursor:
        try:
            with transaction.atomic() if in_transaction else nullcontext():
                calls = ", ".join("set_config(%s, %s, false)" for _ in settings)
                params = [str(x) for item in settings.items() for x in item]
                cursor.execute(f"SELECT {calls}", params)
                yield
        finally:
            # The names are keyword arguments from this project's code.
            cursor.execute("; ".join(f"RESET {name}" for name in settings))


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
