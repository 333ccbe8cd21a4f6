"""The markdownx live preview works in the admin, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from community.models import Answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def editor_page(page, site, editor):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def test_live_preview_renders_sanitized_markdown(editor_page, site, console_errors):
    page = editor_page
    answer = Answer.objects.filter(status="incorrect").first()
    page.goto(f"{site}/admin/community/answer/{answer.pk}/change/")
    editor = page.locator("textarea.markdownx-editor")
    editor.fill(
        "## 미리보기\n\n| 포맷 | 속도 |\n| --- | --- |\n| EXL2 | 빠름 |\n\n<img src=x onerror=alert(1)>"
    )
    preview = page.locator(".markdownx-preview")
    expect(preview.locator("h2")).to_have_text("미리보기")
    expect(preview.locator("table td").first).to_have_text("EXL2")
    assert "onerror" not in preview.inner_html()
    assert [e for e in console_errors if "Content Security Policy" in e] == []
    assert console_errors == []


def test_admin_pages_show_no_csp_violations(editor_page, site, console_errors):
    page = editor_page
    for path in (
        "/admin/",
        "/admin/community/post/",
        "/admin/community/post/add/",
        "/admin/community/formatprofile/1/change/",
        "/admin/community/scenario/1/change/",
    ):
        page.goto(f"{site}{path}")
        expect(page.locator("#content")).to_be_visible()
    assert console_errors == []
