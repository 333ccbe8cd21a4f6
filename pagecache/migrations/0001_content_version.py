from django.db import migrations, models


class Migration(migrations.Migration):
    """The content version moves here from community; its table stays where it is."""

    initial = True

    dependencies = [
        # The table is created and completed by these.
        ("community", "0007_next_publication"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContentVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.PositiveBigIntegerField(default=1)),
                        ("next_publication_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "콘텐츠 버전",
                        "verbose_name_plural": "콘텐츠 버전",
                        "db_table": "community_contentversion",
                    },
                ),
            ],
        ),
    ]
