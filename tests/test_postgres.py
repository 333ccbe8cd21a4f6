import pytest
from django.db import OperationalError, connection

from community.postgres import local_settings

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="settings of PostgreSQL's own"
)


def show(cursor, name):
    cursor.execute(f"SHOW {name}")
    return cursor.fetchone()[0]


def test_local_settings_hold_for_the_block_only(db):
    with connection.cursor() as cursor:
        before = show(cursor, "statement_timeout"), show(cursor, "enable_bitmapscan")
        with local_settings(statement_timeout=1234, enable_bitmapscan="off"):
            assert show(cursor, "statement_timeout") == "1234ms"
            assert show(cursor, "enable_bitmapscan") == "off"
        assert (show(cursor, "statement_timeout"), show(cursor, "enable_bitmapscan")) == before


def test_a_statement_out_of_time_ends_the_block_and_its_settings(db):
    with connection.cursor() as cursor:
        before = show(cursor, "statement_timeout")
        with pytest.raises(OperationalError), local_settings(statement_timeout=20):
            cursor.execute("SELECT pg_sleep(1)")
        # The enclosing transaction goes on, with the setting it had.
        assert show(cursor, "statement_timeout") == before
