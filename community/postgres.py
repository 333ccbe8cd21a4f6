"""PostgreSQL settings that hold for one block of work only."""

from contextlib import contextmanager

from django.db import connection, transaction


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
