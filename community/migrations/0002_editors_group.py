from django.contrib.auth.management import create_permissions
from django.db import migrations

from community.editors import EDITORS_GROUP, ensure_editors_group


def create_editors_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make ours now.
    community = apps.get_app_config("community")
    community.models_module = True
    create_permissions(community, apps=apps, verbosity=0)
    community.models_module = None
    ensure_editors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("community", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
