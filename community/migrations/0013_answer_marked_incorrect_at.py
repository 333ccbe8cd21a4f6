from django.db import migrations, models


def date_the_wrong_answers(apps, schema_editor):
    """An answer already marked incorrect gets the date of the revision that marked it,
    or, when it was created so (a fixture), the date its correction was published, or
    its last save."""
    Answer = apps.get_model("community", "Answer")
    HistoricalAnswer = apps.get_model("community", "HistoricalAnswer")
    for answer in Answer.objects.filter(status="incorrect", marked_incorrect_at=None):
        marked = (
            HistoricalAnswer.objects.filter(id=answer.pk, status="incorrect")
            .exclude(history_type="+")
            .order_by("history_date")
            .values_list("history_date", flat=True)
            .first()
        )
        correction = (
            Answer.objects.filter(corrects=answer.pk)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
        answer.marked_incorrect_at = marked or correction or answer.updated_at
        answer.save(update_fields=["marked_incorrect_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0012_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="marked_incorrect_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="오답 판정일"
            ),
        ),
        migrations.AddField(
            model_name="historicalanswer",
            name="marked_incorrect_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="오답 판정일"
            ),
        ),
        migrations.RunPython(date_the_wrong_answers, migrations.RunPython.noop),
    ]
