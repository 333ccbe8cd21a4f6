from django.db import migrations

from community.editors import EDITORS_GROUP, sync_editors_group


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("community", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_editors_group, remove_editors_group)]
