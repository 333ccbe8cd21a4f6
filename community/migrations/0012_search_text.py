"""
Search looks in the text readers see, not the Markdown source: a phrase split by
emphasis ("**WSL2**를") was not found. Each searched model gets `search_text`,
filled here from the HTML already stored, and the trigram indexes move from the
Markdown bodies to it.
"""

from django.db import migrations, models

from community.markdown import plain_text

BATCH = 2000

# What each model searched at this migration, frozen: (field, its HTML field
# or None for a plain one). The models' `searched_fields` may change later.
SEARCHED = {
    "post": [("body", "body_html")],
    "answer": [("body", "body_html")],
    "formatprofile": [
        ("name", None),
        ("role", None),
        ("features", "features_html"),
        ("hardware", "hardware_html"),
        ("tip", "tip_html"),
    ],
    "hardwaretier": [
        ("name", None),
        ("example", None),
        ("recommendation", None),
        ("memory_estimate", None),
        ("rationale", "rationale_html"),
    ],
    "scenario": [
        ("label", None),
        ("situation", None),
        ("summary_label", None),
        ("core_goal", None),
        ("os", "os_html"),
        ("os_note", "os_note_html"),
        ("run_method", None),
        ("run_method_why", "run_method_why_html"),
        ("hardware", None),
        ("caveat", "caveat_html"),
    ],
}
TRIGRAM_INDEXES_BEFORE = [
    ("post_body_trgm", "community_post", "body"),
    ("answer_body_trgm", "community_answer", "body"),
]
TRIGRAM_INDEXES_AFTER = [
    ("post_text_trgm", "community_post", "search_text"),
    ("answer_text_trgm", "community_answer", "search_text"),
]


def add_search_text(model_name):
    """The field on a model and on its revisions (old revisions keep it empty:
    reverting to one saves the row, which makes it again)."""
    label = {"verbose_name": "검색용 본문"} if model_name.endswith(("post", "answer")) else {}
    return migrations.AddField(
        model_name=model_name,
        name="search_text",
        field=models.TextField(blank=True, editable=False, **label),
    )


def readable_text(values, fields):
    """As RenderedMarkdownModel.readable_text, on a row of `values`."""
    return "\n".join(
        plain_text(values[html]) if html else " ".join(values[field].split())
        for field, html in fields
    )


def fill_search_text(apps, schema_editor):
    connection = schema_editor.connection
    for model_name, fields in SEARCHED.items():
        model = apps.get_model("community", model_name)
        columns = [html or field for field, html in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        update = f"UPDATE {table} SET search_text = %s WHERE id = %s"  # noqa: S608 - our own name
        # Batches in id order, so that memory stays flat at a million rows.
        last = 0
        while True:
            rows = list(
                model.objects.filter(pk__gt=last).order_by("pk").values("pk", *columns)[:BATCH]
            )
            if not rows:
                break
            with connection.cursor() as cursor:
                cursor.executemany(
                    update, [(readable_text(row, fields), row["pk"]) for row in rows]
                )
            last = rows[-1]["pk"]


def trigram_indexes(action, indexes):
    """RunPython code that creates or drops trigram `indexes` on PostgreSQL."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table, column in indexes:
            if action == "drop":
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
            else:
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                    f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
                )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0011_reference_emphasis"),
    ]

    operations = [
        *(add_search_text(prefix + name) for name in SEARCHED for prefix in ("", "historical")),
        # The old indexes go first: every row is rewritten below, and at a million
        # rows, adding each new row version to a GIN index it no longer needs
        # made PostgreSQL the bottleneck of the backfill.
        migrations.RunPython(
            trigram_indexes("drop", TRIGRAM_INDEXES_BEFORE),
            trigram_indexes("create", TRIGRAM_INDEXES_BEFORE),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(
            trigram_indexes("create", TRIGRAM_INDEXES_AFTER),
            trigram_indexes("drop", TRIGRAM_INDEXES_AFTER),
        ),
    ]
