"""
The "Editors" group: everything editors need to manage content and reference
data, and nothing else (no users, groups or permissions).
"""

EDITORS_GROUP = "Editors"
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
    "quantization",
    "modelpreset",
    "synonym",
]


def ensure_editors_group(group_model, permission_model):
    """
    Create the group if needed and give it exactly the editors' permissions.

    Takes the model classes so that a migration can pass its historical ones.
    """
    group, _ = group_model.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(
        permission_model.objects.filter(
            content_type__app_label="community", content_type__model__in=EDITED_MODELS
        )
    )
    return group


def sync_editors_group(apps, schema_editor):
    """Migration step: make the app's permissions now (Django makes them only after
    all migrations) and give the group exactly the editors' ones."""
    from django.contrib.auth.management import create_permissions

    community = apps.get_app_config("community")
    community.models_module = True
    create_permissions(community, apps=apps, verbosity=0)
    community.models_module = None
    ensure_editors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
