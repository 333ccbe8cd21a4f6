"""
The "Editors" group: everything editors need to manage content and reference
data, and nothing else (no users, groups or permissions).
"""

from django.db.models import Q

EDITORS_GROUP = "Editors"
EDITED_MODELS = {
    "community": [
        "post",
        "answer",
        "tag",
        "synonym",
    ],
    # The reference records, the guide's and the advisor's.
    "guide": [
        "formatprofile",
        "formatsoftware",
        "software",
        "hardwaretier",
        "scenario",
        "scenarioformat",
        "scenariosoftware",
        "scenarioplatformos",
        "quantization",
        "modelpreset",
        "hardwareprofile",
    ],
    # The members' review and report queues. Named, not imported: community
    # depends on no other app.
    "members": ["member", "contribution", "report", "reportedanswer"],
}
# Where an app's models lived before a migration moved them (guide 0001): the
# migrations before it find them under the old label.
FORMER_APP_LABELS = {"guide": "community"}


def ensure_editors_group(group_model, permission_model):
    """
    Create the group if needed and give it exactly the editors' permissions.

    Takes the model classes so that a migration can pass its historical ones.
    """
    group, _ = group_model.objects.get_or_create(name=EDITORS_GROUP)
    edited = Q()
    for app_label, models in EDITED_MODELS.items():
        labels = [app_label, FORMER_APP_LABELS.get(app_label, app_label)]
        edited |= Q(content_type__app_label__in=labels, content_type__model__in=models)
    group.permissions.set(permission_model.objects.filter(edited))
    return group


def sync_editors_group(apps, schema_editor):
    """Migration step: make the app's permissions now (Django makes them only after
    all migrations) and give the group exactly the editors' ones."""
    from django.contrib.auth.management import create_permissions

    for app_label in EDITED_MODELS:
        try:
            app = apps.get_app_config(app_label)
        except LookupError:  # an app whose migrations come later
            continue
        app.models_module = True
        create_permissions(app, apps=apps, verbosity=0)
        app.models_module = None
    ensure_editors_group(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
