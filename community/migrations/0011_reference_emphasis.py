"""Emphasis and code in the reference records' short fields, as the sources write them."""

from django.db import migrations, models

from community.markdown import render_inline_markdown

# Short fields now rendered as inline Markdown, and where the HTML goes.
INLINE_FIELDS = {
    "FormatProfile": [("features", "features_html"), ("hardware", "hardware_html")],
    "Scenario": [
        ("search_note", "search_note_html"),
        ("os", "os_html"),
        ("os_note", "os_note_html"),
        ("summary_os", "summary_os_html"),
        ("run_method_why", "run_method_why_html"),
        ("summary_run_method", "summary_run_method_html"),
    ],
}


def render_inline_fields(apps, schema_editor):
    for model_name, pairs in INLINE_FIELDS.items():
        model = apps.get_model("community", model_name)
        rows = list(model.objects.all())
        for row in rows:
            for source, target in pairs:
                setattr(row, target, render_inline_markdown(getattr(row, source)))
        model.objects.bulk_update(rows, [target for _source, target in pairs])


class Migration(migrations.Migration):

    dependencies = [
        ('community', '0010_chart_and_comparison_wording'),
    ]

    operations = [
        migrations.AddField(
            model_name='formatprofile',
            name='features_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='formatprofile',
            name='hardware_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalformatprofile',
            name='features_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalformatprofile',
            name='hardware_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalscenario',
            name='os_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalscenario',
            name='os_note_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalscenario',
            name='run_method_why_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalscenario',
            name='summary_os_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='historicalscenario',
            name='summary_run_method_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='scenario',
            name='os_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='scenario',
            name='os_note_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='scenario',
            name='run_method_why_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='scenario',
            name='summary_os_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='scenario',
            name='summary_run_method_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name='formatprofile',
            name='features',
            field=models.TextField(help_text='Markdown: **굵게**, `코드`', verbose_name='주 용도 및 특징'),
        ),
        migrations.AlterField(
            model_name='formatprofile',
            name='hardware',
            field=models.TextField(help_text='한 줄에 하나씩. Markdown: **굵게**', verbose_name='하드웨어'),
        ),
        migrations.AlterField(
            model_name='historicalformatprofile',
            name='features',
            field=models.TextField(help_text='Markdown: **굵게**, `코드`', verbose_name='주 용도 및 특징'),
        ),
        migrations.AlterField(
            model_name='historicalformatprofile',
            name='hardware',
            field=models.TextField(help_text='한 줄에 하나씩. Markdown: **굵게**', verbose_name='하드웨어'),
        ),
        migrations.AlterField(
            model_name='historicalscenario',
            name='os',
            field=models.CharField(help_text='Markdown: **굵게**', max_length=80, verbose_name='추천 OS'),
        ),
        migrations.AlterField(
            model_name='historicalscenario',
            name='os_note',
            field=models.CharField(blank=True, help_text='Markdown', max_length=200, verbose_name='OS 설명'),
        ),
        migrations.AlterField(
            model_name='historicalscenario',
            name='run_method_why',
            field=models.TextField(help_text='Markdown: `코드`', verbose_name='실행 방식의 이유'),
        ),
        migrations.AlterField(
            model_name='historicalscenario',
            name='summary_os',
            field=models.CharField(help_text='Markdown', max_length=40, verbose_name='요약 매트릭스 OS'),
        ),
        migrations.AlterField(
            model_name='historicalscenario',
            name='summary_run_method',
            field=models.CharField(help_text='Markdown', max_length=40, verbose_name='요약 매트릭스 실행 방식'),
        ),
        migrations.AlterField(
            model_name='scenario',
            name='os',
            field=models.CharField(help_text='Markdown: **굵게**', max_length=80, verbose_name='추천 OS'),
        ),
        migrations.AlterField(
            model_name='scenario',
            name='os_note',
            field=models.CharField(blank=True, help_text='Markdown', max_length=200, verbose_name='OS 설명'),
        ),
        migrations.AlterField(
            model_name='scenario',
            name='run_method_why',
            field=models.TextField(help_text='Markdown: `코드`', verbose_name='실행 방식의 이유'),
        ),
        migrations.AlterField(
            model_name='scenario',
            name='summary_os',
            field=models.CharField(help_text='Markdown', max_length=40, verbose_name='요약 매트릭스 OS'),
        ),
        migrations.AlterField(
            model_name='scenario',
            name='summary_run_method',
            field=models.CharField(help_text='Markdown', max_length=40, verbose_name='요약 매트릭스 실행 방식'),
        ),
        migrations.RunPython(render_inline_fields, migrations.RunPython.noop),
    ]
