"""The admin's own markup names what a screen reader announces (the browser
checks are in tests/browser/test_accessibility.py)."""

import json
import re

import pytest
from django.utils.text import capfirst

from guide.admin import FormatSoftwareInline, QuantizationInline
from guide.models import FormatProfile, Scenario


@pytest.fixture
def editor_client(client, editor, seeded):
    client.force_login(editor)
    return client


def controls(html, prefix):
    """The visible inputs and selects of one formset, as their opening tags."""
    tags = re.findall(rf'<(?:input|select)\b[^>]*\bname="{prefix}-\d+-[^"]*"[^>]*>', html)
    return [tag for tag in tags if 'type="hidden"' not in tag]


def aria_label(tag):
    found = re.search(r'\baria-label="([^"]*)"', tag)
    return found[1] if found else None


def test_every_input_of_a_tabular_inline_is_named_after_its_column(editor_client):
    gguf = FormatProfile.objects.get(name="GGUF")
    html = editor_client.get(f"/admin/guide/formatprofile/{gguf.pk}/change/").content.decode()
    software = controls(html, "format_software")
    quantizations = controls(html, "quantizations")
    assert len(software) >= 8 and len(quantizations) >= 8
    for inline, tags in [(FormatSoftwareInline, software), (QuantizationInline, quantizations)]:
        columns = {
            capfirst(inline.model._meta.get_field(name).verbose_name)
            for name in inline.fields
            if name != "opened_at_version"  # a hidden input
        }
        assert {aria_label(tag) for tag in tags} == columns | {"삭제"}


def test_the_scenario_tables_name_their_selects(editor_client):
    scenario = Scenario.objects.first()
    html = editor_client.get(f"/admin/guide/scenario/{scenario.pk}/change/").content.decode()
    selects = [tag for tag in controls(html, "scenario_software") if tag.startswith("<select")]
    assert selects
    assert None not in {aria_label(tag) for tag in selects}


def test_every_input_of_a_list_editable_list_is_named_after_its_column(editor_client):
    html = editor_client.get("/admin/guide/formatprofile/").content.decode()
    orders = controls(html, "form")
    assert len(orders) == FormatProfile.objects.count()
    assert {aria_label(tag) for tag in orders} == {"표시 순서"}


def test_the_date_shortcuts_labels_hold_their_korean_text(editor_client):
    # Django's Korean catalog leaves these out; locale/ko/ supplies them.
    catalog = editor_client.get("/admin/jsi18n/").content.decode()
    for shown, label in [("오늘", "Today"), ("어제", "Yesterday"), ("내일", "Tomorrow")]:
        assert f'"{label} (%(date)s)": {json.dumps(f"{shown} (%(date)s)")}' in catalog
