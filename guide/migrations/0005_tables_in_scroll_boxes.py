"""
The reference records' notes, as community 0020 does for posts and answers:
every stored table gets its scroll box (community.markdown.box_tables).
"""

from django.db import migrations
from django.db.models import F

from community.rendered import box_stored_tables

NOTES = {"FormatProfile": "tip_html", "HardwareTier": "rationale_html", "Scenario": "caveat_html"}


def box_tables_of_notes(apps, schema_editor):
    changed = sum(
        box_stored_tables(apps.get_model("guide", name), field) for name, field in NOTES.items()
    )
    if changed:
        # Cached pages and kept markup hold the HTML as it was.
        version = apps.get_model("pagecache", "ContentVersion")
        version.objects.update(version=F("version") + 1)


class Migration(migrations.Migration):
    # A transaction per batch of rows (box_stored_tables), not one for the table.
    atomic = False

    dependencies = [
        ("guide", "0004_scenario_platform_os"),
        ("pagecache", "0001_content_version"),
    ]

    operations = [migrations.RunPython(box_tables_of_notes, migrations.RunPython.noop)]
