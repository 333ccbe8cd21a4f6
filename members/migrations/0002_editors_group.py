from django.db import migrations

from community.editors import sync_editors_group


class Migration(migrations.Migration):
    """The Editors group may work the members' review and report queues."""

    dependencies = [
        ("members", "0001_initial"),
        ("community", "0018_member_review"),
    ]

    operations = [migrations.RunPython(sync_editors_group, migrations.RunPython.noop)]
