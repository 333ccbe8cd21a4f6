"""The markdownx live preview works in the admin, under the site's CSP."""

import pytest
from playwright.sync_api import expect

from community.models import Answer, Post

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
        "/admin/guide/formatprofile/1/change/",
        "/admin/guide/scenario/1/change/",
    ):
        page.goto(f"{site}{path}")
        expect(page.locator("#content")).to_be_visible()
    assert console_errors == []


def test_an_answer_added_with_add_another_has_a_live_preview(editor_page, site, console_errors):
    page = editor_page
    refused = []
    page.on(
        "response",
        lambda response: (
            refused.append(response)
            if "/markdownx/" in response.url and response.status != 200
            else None
        ),
    )
    post = Post.objects.get(slug="which-gguf-file")
    page.goto(f"{site}/admin/community/post/{post.pk}/change/")
    rows = page.locator("#answers-group .inline-related:not(.empty-form)")
    before = rows.count()
    page.locator("#answers-group .add-row a").click()
    expect(rows).to_have_count(before + 1)

    new_row = rows.nth(before)
    new_row.locator("textarea.markdownx-editor").fill("## 새 답변\n\n| 포맷 |\n| --- |\n| GGUF |")
    expect(new_row.locator(".markdownx-preview h2")).to_have_text("새 답변")
    expect(new_row.locator(".markdownx-preview td")).to_have_text("GGUF")
    # The editors that were there before still preview, each into its own box.
    first = rows.nth(0)
    first.locator("textarea.markdownx-editor").fill("## 고친 답변")
    expect(first.locator(".markdownx-preview h2")).to_have_text("고친 답변")
    expect(new_row.locator(".markdownx-preview h2")).to_have_text("새 답변")
    assert [(r.status, r.text()) for r in refused] == []
    assert console_errors == []
