import threading
import time
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from community import postgres
from community.admin import EditConflictForm
from community.models import Post
from community.postgres import first_rows, local_settings
from pagecache.models import ContentVersion
from tests.admin_pages import opened_form
from tests.factories import make_answer, make_post

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own settings and locking"
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


def wait_for_a_lock_wait(seconds=5):
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second save never waited for the first")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_settings_are_the_sessions_for_the_block_only(db):
    assert connection.get_autocommit()
    with connection.cursor() as cursor:
        before = show(cursor, "statement_timeout")
        with pytest.raises(OperationalError), local_settings(statement_timeout=20):
            assert show(cursor, "statement_timeout") == "20ms"
            cursor.execute("SELECT pg_sleep(1)")
        assert show(cursor, "statement_timeout") == before
        # No transaction was left open or aborted.
        assert connection.get_autocommit() and not connection.needs_rollback
        cursor.execute("SELECT 1")


@pytest.mark.django_db(transaction=True)
def test_a_walk_over_its_budget_is_read_again_by_collecting_the_matches_first(db, monkeypatch):
    newest, older = make_post(title="새 글"), make_post(title="옛 글")
    monkeypatch.setattr(postgres, "WALK_BUDGET_MS", 20)
    both = Post.objects.filter(pk__in=[newest.pk, older.pk]).newest_first()
    # pg_sleep stands in for a walk across a million newer posts.
    slow = both.annotate(walk=RawSQL("pg_sleep(0.05)", []))
    seen = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: seen.append(sql) or execute(sql, *rest)
    ):
        rows = first_rows([both, slow, both[1:]], 2)
    titles = [[p.title for p in found] for found in rows]
    assert titles == [[newest.title, older.title]] * 2 + [[older.title]]
    walks = [sql for sql in seen if "pg_sleep" in sql]
    assert len(walks) == 2  # out of time, then again with index scans off
    # The first queryset is not read again; the one after the slow one is,
    # under a time limit of its own.
    assert sum("pg_sleep" not in sql and "community_post" in sql for sql in seen) == 2
    settings = [sql for sql in seen if "set_config" in sql]
    assert len(settings) == 3


# The two saves commit on connections of their own, so the test database is
# emptied afterwards (transaction=True): otherwise their posts would show up
# in later tests' lists.
@pytest.mark.django_db(transaction=True)
def test_a_save_meanwhile_keeps_the_next_publication_date(db):
    """Two saves at once: the later one must not overwrite the date the first one set."""
    due = timezone.now() + timedelta(hours=1)
    scheduled, holding = threading.Event(), threading.Event()

    def schedule_and_hold():
        try:
            with transaction.atomic():
                make_post(title="예약한 글", published_at=due)  # bumps the version
                scheduled.set()
                holding.wait(timeout=5)
        finally:
            connections.close_all()

    other = threading.Thread(target=schedule_and_hold)
    other.start()
    assert scheduled.wait(timeout=5)
    # This save's bump waits for the other transaction's lock on the version row.
    saving = threading.Thread(target=lambda: (make_post(), connections.close_all()))
    saving.start()
    wait_for_a_lock_wait()
    holding.set()
    other.join()
    saving.join()
    assert ContentVersion.objects.get().next_publication_at == due


class PostTitleForm(EditConflictForm):
    class Meta:
        model = Post
        fields = ["title"]


@pytest.mark.django_db(transaction=True)
def test_of_two_pages_submitted_at_once_from_one_version_the_second_is_refused(db):
    post = make_post(title="처음 제목")
    opened = PostTitleForm(instance=post).saved_version
    checked, holding = threading.Event(), threading.Event()

    def submit_and_hold():
        try:
            with transaction.atomic():
                form = PostTitleForm(
                    {"title": "먼저 고친 제목", "opened_at_version": opened},
                    instance=Post.objects.get(pk=post.pk),
                )
                assert form.is_valid(), form.errors
                form.save()
                checked.set()
                holding.wait(timeout=5)
        finally:
            connections.close_all()

    first = threading.Thread(target=submit_and_hold)
    first.start()
    assert checked.wait(timeout=5)
    outcome = {}

    def submit_second():
        try:
            with transaction.atomic():
                form = PostTitleForm(
                    {"title": "나중에 고친 제목", "opened_at_version": opened},
                    instance=Post.objects.get(pk=post.pk),
                )
                outcome["valid"] = form.is_valid()
                outcome["codes"] = [e.code for e in form.non_field_errors().as_data()]
                if outcome["valid"]:
                    form.save()
        finally:
            connections.close_all()

    second = threading.Thread(target=submit_second)
    second.start()
    # Without the row lock the second form would check the version before the first commits.
    wait_for_a_lock_wait()
    holding.set()
    first.join()
    second.join()
    assert outcome == {"valid": False, "codes": ["edit_conflict"]}
    post.refresh_from_db()
    assert post.title == "먼저 고친 제목"


@pytest.mark.django_db(transaction=True)
def test_a_revert_from_history_saves_in_a_transaction_of_its_own(client, editor):
    # Outside a test's transaction: the form locks the row, which needs the view's.
    answer = make_answer(make_post(), body="처음 답변")
    revision = answer.history.earliest()
    answer.body = "고친 답변"
    answer.save()
    client.force_login(editor)
    url = f"/admin/community/answer/{answer.pk}/history/{revision.history_id}/"
    response = client.post(url, opened_form(client, url))
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == "처음 답변"
