from django.db import migrations


def move_content_type(apps, schema_editor):
    # The model's content type (and any permission on it) follows it.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="pagecache", model="contentversion").exists():
        ContentType.objects.filter(app_label="community", model="contentversion").update(
            app_label="pagecache"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="pagecache", model="contentversion").update(
        app_label="community"
    )


class Migration(migrations.Migration):
    """ContentVersion now belongs to pagecache, which keeps its table."""

    dependencies = [
        ("community", "0013_answer_marked_incorrect_at"),
        ("pagecache", "0001_content_version"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContentVersion")],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
