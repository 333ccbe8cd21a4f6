"""
Every table in the posts' and answers' stored HTML gets the scroll box that
render_markdown now puts around it (community.markdown.box_tables), so a table
written in a post reads on a phone as the site's own tables do. Revisions keep
the HTML they had. guide 0005 does the same for the reference records' notes.
"""

from django.db import migrations

from community.rendered import box_stored_tables


def box_tables_of_posts_and_answers(apps, schema_editor):
    box_stored_tables(apps, {"community.Post": "body_html", "community.Answer": "body_html"})


class Migration(migrations.Migration):
    # A transaction per batch of rows (box_stored_tables), not one for the table.
    atomic = False

    dependencies = [
        ("community", "0019_reference_records_to_guide"),
        ("pagecache", "0001_content_version"),
    ]

    operations = [migrations.RunPython(box_tables_of_posts_and_answers, migrations.RunPython.noop)]
