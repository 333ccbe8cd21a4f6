"""
The "Editors" group: everything editors need to manage content and reference
data, and nothing else (no users, groups or permissions).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
EDITED_MODELS = [
    "post",
    "answer",
    "tag",
    "formatprofile",
    "formatsoftware",
    "software",
    "hardwaretier",
    "scenario",
    "scenarioformat",
    "scenariosoftware",
]


def create_editors_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make ours now.
    community = apps.get_app_config("community")
    community.models_module = True
    create_permissions(community, apps=apps, verbosity=0)
    community.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="community", content_type__model__in=EDITED_MODELS
        )
    )


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("community", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
