"""
The reference records moved from `community` to `guide` (community 0019, guide
0001): a database of the schema before the move, holding the seed content with
its revisions and the Editors group, migrates to the new layout and back with
every row, revision and permission as it was.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_MOVE = [("community", "0018_member_review"), ("members", "0002_editors_group")]
AFTER_MOVE = [
    ("community", "0019_reference_records_to_guide"),
    ("guide", "0001_moved_from_community"),
    ("members", "0002_editors_group"),
]
MOVED = [
    "formatprofile",
    "formatsoftware",
    "software",
    "hardwaretier",
    "scenario",
    "scenarioformat",
    "scenariosoftware",
    "quantization",
    "modelpreset",
]
# The moved models' tables and their revisions' tables, and the posts' links to them.
TABLES = [
    *(f"community_{name}" for name in MOVED),
    *(f"community_historical{name}" for name in MOVED),
    "community_post_formats",
    "community_post_hardware_tiers",
    "community_post_scenarios",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
]


def migrate(targets):
    """Migrate to `targets`; the models as they were there. Before the move, the
    guide app has no migration applied."""
    executor = MigrationExecutor(connection)
    before_move = targets == BEFORE_MOVE
    executor.migrate([*targets, ("guide", None)] if before_move else targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return sorted(cursor.fetchall(), key=repr)


def snapshot():
    """Every row of the moved tables, and the content types with the moved
    models' app label left out (it is what the move changes)."""
    content_types = {
        (pk, model) for pk, app_label, model in rows("django_content_type") if model in MOVED_ALL
    }
    return {table: rows(table) for table in TABLES}, content_types


MOVED_ALL = [*MOVED, *(f"historical{name}" for name in MOVED)]


def labels():
    """The app label of each moved model's content type."""
    return {
        model: app_label
        for _pk, app_label, model in rows("django_content_type")
        if model in MOVED_ALL
    }


def editors_permissions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ct.app_label, ct.model, p.codename FROM auth_group g "
            "JOIN auth_group_permissions gp ON gp.group_id = g.id "
            "JOIN auth_permission p ON p.id = gp.permission_id "
            "JOIN django_content_type ct ON ct.id = p.content_type_id "
            "WHERE g.name = 'Editors'"
        )
        return set(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_the_move_to_guide_keeps_every_row_revision_and_permission():
    from django.contrib.auth.models import Group, Permission

    from community.editors import ensure_editors_group

    call_command("seed", verbosity=0)
    # A transactional test before this one may have flushed the group its migration made.
    ensure_editors_group(Group, Permission)
    try:
        old = migrate(BEFORE_MOVE)
        # Rows written under the old layout, through its own models.
        fmt = old.get_model("community", "FormatProfile").objects.create(
            name="옛 포맷",
            slug="old-format",
            extension="*.old",
            role="r",
            features="f",
            hardware="h",
        )
        post = old.get_model("community", "Post").objects.order_by("pk").first()
        post.formats.add(fmt)
        old.get_model("community", "HistoricalFormatProfile").objects.create(
            id=fmt.pk,
            name=fmt.name,
            slug=fmt.slug,
            extension=fmt.extension,
            role="r",
            features="f",
            hardware="h",
            updated_at=fmt.updated_at,
            history_date=fmt.updated_at,
            history_type="+",
        )
        before, content_types = snapshot()
        assert set(labels().values()) == {"community"}
        permissions = editors_permissions()
        assert ("community", "formatprofile", "change_formatprofile") in permissions
        assert all(before[table] for table in TABLES), "every table holds rows"

        new = migrate(AFTER_MOVE)
        assert snapshot() == (before, content_types)
        assert set(labels().values()) == {"guide"}
        assert editors_permissions() == {
            ("guide" if model in MOVED_ALL else app_label, model, codename)
            for app_label, model, codename in permissions
        }
        from django.contrib.auth.models import User

        from guide.models import FormatProfile

        editor = User.objects.create_user("editor", is_staff=True)
        editor.groups.set([new.get_model("auth", "Group").objects.get(name="Editors").pk])
        assert editor.has_perm("guide.change_formatprofile")
        # The guide's later migrations (the catalogue's new fields) run on the moved rows.
        migrate(latest())
        editor.delete()
        moved = FormatProfile.objects.get(slug="old-format")
        assert moved.history.count() == 1
        assert list(moved.posts.values_list("pk", flat=True)) == [post.pk]
        assert FormatProfile.history.filter(history_change_reason="seed").count() == 7

        migrate(BEFORE_MOVE)
        assert snapshot() == (before, content_types)
        assert set(labels().values()) == {"community"}
        assert editors_permissions() == permissions
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_a_database_seeded_before_the_platform_os_rows_gets_the_seeds_rows():
    from guide.models import ScenarioPlatformOS

    def platform_os():
        return {
            (row.scenario.code, row.platform): (row.os, row.os_html)
            for row in ScenarioPlatformOS.objects.select_related("scenario")
        }

    call_command("seed", verbosity=0)
    seeded = platform_os()
    assert seeded
    try:
        migrate([("guide", "0003_hardware_profiles")])
        migrate(latest())
        assert platform_os() == seeded
    finally:
        migrate(latest())


@pytest.mark.django_db(transaction=True)
def test_tables_stored_before_the_scroll_boxes_are_boxed_and_cached_pages_let_go():
    from community.markdown import render_markdown
    from community.models import Answer, Post
    from guide.models import Scenario
    from pagecache.models import ContentVersion

    call_command("seed", verbosity=0)
    boxed = render_markdown("| 포맷 | 도구 |\n| --- | --- |\n| GGUF | Ollama |")
    box = '<div class="table-wrap" tabindex="0" role="region" aria-label="표: 포맷, 도구">'
    # The HTML as render_markdown made it before the boxes: the table bare.
    bare = boxed.replace(box, "").replace("</div>", "")
    assert boxed.startswith(box) and "table-wrap" not in bare
    try:
        old = migrate(
            [
                ("community", "0019_reference_records_to_guide"),
                ("guide", "0004_scenario_platform_os"),
            ]
        )
        answers = old.get_model("community", "Answer").objects
        answer = answers.order_by("pk").first()
        answers.filter(pk=answer.pk).update(body_html=f"<p>앞</p>{bare}{bare}")
        old.get_model("community", "Post").objects.filter(pk=answer.post_id).update(body_html=bare)
        scenarios = old.get_model("guide", "Scenario").objects
        scenario = scenarios.order_by("pk").first()
        scenarios.filter(pk=scenario.pk).update(caveat_html=bare)
        others = Post.objects.exclude(pk=answer.post_id).values_list("pk", "body_html")
        untouched = dict(others)
        version = ContentVersion.objects.get().version

        migrate(latest())
        assert Post.objects.get(pk=answer.post_id).body_html == boxed
        assert Answer.objects.get(pk=answer.pk).body_html == f"<p>앞</p>{boxed}{boxed}"
        assert Scenario.objects.get(pk=scenario.pk).caveat_html == boxed
        assert dict(others) == untouched
        assert ContentVersion.objects.get().version > version
    finally:
        migrate(latest())


@pytest.mark.django_db
def test_the_move_runs_before_the_guides_later_migrations():
    """
    From an empty database, community 0019 moves the reference records' content
    types to guide before the guide's later migrations make guide's own. When a
    new community migration depended on the guide's latest, Django planned those
    first, and a fresh `migrate` kept the old content types (with the Editors
    group holding their permissions).
    """
    from django.contrib.contenttypes.models import ContentType

    plan = [
        (migration.app_label, migration.name)
        for migration, _backwards in MigrationExecutor(connection).migration_plan(
            latest(), clean_start=True
        )
    ]
    assert plan.index(("community", "0019_reference_records_to_guide")) < plan.index(
        ("guide", "0002_model_catalogue")
    )
    assert not ContentType.objects.filter(app_label="community", model__in=MOVED_ALL).exists()
