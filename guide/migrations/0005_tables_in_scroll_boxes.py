"""
The reference records' notes, as community 0020 does for posts and answers:
every stored table gets its scroll box (community.markdown.box_tables).
"""

from django.db import migrations

from community.rendered import box_stored_tables

NOTES = {
    "guide.FormatProfile": "tip_html",
    "guide.HardwareTier": "rationale_html",
    "guide.Scenario": "caveat_html",
}


def box_tables_of_notes(apps, schema_editor):
    box_stored_tables(apps, NOTES)


class Migration(migrations.Migration):
    # A transaction per batch of rows (box_stored_tables), not one for the table.
    atomic = False

    dependencies = [
        ("guide", "0004_scenario_platform_os"),
        ("pagecache", "0001_content_version"),
    ]

    operations = [migrations.RunPython(box_tables_of_notes, migrations.RunPython.noop)]
