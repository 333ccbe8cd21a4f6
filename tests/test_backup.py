"""The documented backup (dumpdata, ids kept, natural foreign keys) restores into an empty database."""

from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command

from community import services
from community.models import Answer, Post

BACKUP_EXCLUDES = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "members.session",
    "admin.logentry",
    "axes",
]


def content_snapshot():
    """Every community and guide row, by its natural keys, without database ids."""
    snapshot = {}
    for model in (
        *apps.get_app_config("community").get_models(),
        *apps.get_app_config("guide").get_models(),
    ):
        if model.__name__.startswith("Historical"):
            snapshot[model.__name__] = model.objects.count()
            continue
        rows = serializers.serialize(
            "python",
            model._base_manager.all(),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        snapshot[model.__name__] = sorted(
            repr(sorted((k, _to_milliseconds(v)) for k, v in row["fields"].items())) for row in rows
        )
    return snapshot


def _to_milliseconds(value):
    # JSON dumps keep times to the millisecond (pg_dump keeps them exactly).
    if isinstance(value, datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    return value


def test_a_dump_of_the_seed_content_restores_into_an_empty_database(transactional_db, tmp_path):
    # Transactional: emptying the database (TRUNCATE on PostgreSQL) cannot run
    # inside the test's transaction, and a real restore runs outside one too.
    call_command("seed", verbosity=0)
    editor = get_user_model().objects.create_user("minji", password="a-long-passphrase-1")
    post = Post.objects.get(slug="which-gguf-file")
    answer = post.answers.get()
    answer.body += "\n\n추가 설명"
    answer._history_user = editor
    answer.save()
    draft = Answer.objects.create(post=post, body="초안", status="draft")
    services.accept_answer(answer=answer)
    before = content_snapshot()

    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--indent",
        "1",
        *[f"--exclude={label}" for label in BACKUP_EXCLUDES],
        output=str(backup),
        verbosity=0,
    )
    call_command("flush", interactive=False, verbosity=0)
    assert Post.objects.count() == 0

    call_command("loaddata", str(backup), verbosity=0)
    after = content_snapshot()
    for name, rows in before.items():
        assert after[name] == rows, name
    assert Answer.objects.get(uid=draft.uid).status == "draft"
    restored = Answer.objects.get(uid=answer.uid)
    # Revisions still belong to their rows (a backup keeps row ids).
    assert restored.pk == answer.pk
    assert restored.history.filter(history_user__username="minji").exists()
    assert restored.history.count() == answer.history.count()
