"""A reader checks a correction, and an editor drops a picture, in a real browser."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from community.models import Answer, Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SEED_QUESTION = "llama-3-70b-quantization"
WRONG_ANSWER_WORDS = "1.5배 빠른 토큰"


def check_the_correction(page, scope):
    """The corrected answer first; the wrong one after it, collapsed, opened by keyboard."""
    wrong = Answer.objects.get(post__slug=SEED_QUESTION, status="incorrect")
    accepted = scope.locator("article.answer--accepted")
    details = scope.locator(f"details#answer-{wrong.uid}")
    expect(accepted).to_contain_text("이전에 올라온 답변이 틀린 것으로 확인되어")
    expect(details).to_be_visible()
    assert accepted.bounding_box()["y"] < details.bounding_box()["y"]
    expect(details.get_by_text(WRONG_ANSWER_WORDS, exact=False)).to_be_hidden()
    expect(details.locator("summary")).to_contain_text("오답")

    summary = details.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    expect(details.get_by_text(WRONG_ANSWER_WORDS, exact=False)).to_be_visible()
    expect(details).to_contain_text("여기까지 내용은 명백히 오답입니다")
    expect(details.locator("summary")).to_contain_text("오답 판정 2026. 11. 20.")
    page.keyboard.press("Enter")
    expect(details).not_to_have_attribute("open", "")


def test_the_post_page_and_its_dialog_show_the_wrong_answer_marked_and_the_history(
    page, site, console_errors
):
    post = Post.objects.get(slug=SEED_QUESTION)
    page.goto(f"{site}{post.get_absolute_url()}")
    check_the_correction(page, page.locator("main"))

    page.goto(f"{site}/community/")
    page.locator(f'.post-item[data-post-id="{post.pk}"] .post-item__link').click()
    dialog = page.locator("#post-dialog")
    expect(dialog.locator(f'article[data-post-id="{post.pk}"]')).to_be_visible()
    check_the_correction(page, dialog)

    # The link from the correction to the answer it corrects opens it, in the
    # dialog without changing the address the dialog set.
    address = page.url
    dialog.get_by_role("link", name="정정한 오답 보기").click()
    expect(dialog.locator("details.answer--incorrect")).to_have_attribute("open", "")
    expect(dialog.locator("details.answer--incorrect summary")).to_be_focused()
    assert page.url == address
    page.keyboard.press("Escape")
    page.goto(f"{site}{post.get_absolute_url()}")
    page.get_by_role("link", name="정정한 오답 보기").click()
    expect(page.locator("details.answer--incorrect")).to_have_attribute("open", "")

    page.get_by_role("link", name="수정 이력").click()
    expect(page.locator("h1")).to_have_text("수정 이력")
    expect(page.locator(".timeline")).to_contain_text("오답으로 판정")
    expect(page.locator(".timeline time").first).to_be_visible()
    assert console_errors == []


def test_the_history_shows_a_diff_after_an_edit(page, site, console_errors):
    from community import services

    correction = Answer.objects.get(post__slug=SEED_QUESTION, corrects__isnull=False)
    correction.body = correction.body.replace("Llama-3 70B와", "Llama-3 70B 같은", 1)
    services.save_answer(answer=correction)
    page.goto(f"{site}{correction.post.get_history_url()}")
    expect(page.locator(".diff del").first).to_contain_text("70B와")
    expect(page.locator(".diff ins").first).to_contain_text("같은")
    assert console_errors == []


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def drop_file(page, textarea, name, mime, data):
    page.evaluate(
        """([selector, name, mime, bytes]) => {
            const file = new File([new Uint8Array(bytes)], name, { type: mime });
            const transfer = new DataTransfer();
            transfer.items.add(file);
            const target = document.querySelector(selector);
            target.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        }""",
        [textarea, name, mime, list(data)],
    )


def test_an_editor_drops_a_picture_and_a_refused_file_gets_a_korean_message(
    page, site, editor, settings, tmp_path, console_errors
):
    settings.MEDIA_ROOT = tmp_path
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    answer = Answer.objects.get(post__slug=SEED_QUESTION, corrects__isnull=False)
    page.goto(f"{site}/admin/community/answer/{answer.pk}/change/")
    editor_box = page.locator("textarea.markdownx-editor")
    before = editor_box.input_value()

    drop_file(page, "textarea.markdownx-editor", "evil.svg", "image/svg+xml", b"<svg></svg>")
    status = page.locator(".markdown-upload-status")
    expect(status).to_contain_text("PNG, JPEG, WebP, GIF 이미지만 올릴 수 있습니다")
    assert editor_box.input_value() == before  # nothing written into the text

    drop_file(page, "textarea.markdownx-editor", "속도 그래프.png", "image/png", png_bytes())
    expect(status).to_contain_text("올렸습니다")
    expect(page.locator(".markdownx-preview img")).to_have_attribute("width", "30")
    assert "![속도 그래프](/media/uploads/" in editor_box.input_value()
    assert [path.name for path in tmp_path.rglob("*.png")]
    errors = [e for e in console_errors if "400" not in e]  # the refusal's own response
    assert errors == []
