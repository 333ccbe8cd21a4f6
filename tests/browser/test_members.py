"""A member's whole path in a real browser: sign up, ask, get approved; report, get corrected."""

import re

import pytest
from playwright.sync_api import expect

from community.models import Answer, Post
from members import services
from members.models import Contribution
from tests.factories import make_answer, make_correction, make_post
from tests.members.conftest import PASSWORD, make_member
from tests.xss_corpus import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One or two of every category, as tests/browser/test_xss_in_browser.py samples them.
SAMPLE = [payload for i, (_c, payload) in enumerate(PAYLOADS) if i % 6 == 0]
TITLE = "4비트 양자화한 70B 모델을 24GB GPU 두 장에 올릴 수 있나요?"


@pytest.fixture
def new_context(browser):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


def log_in_to_admin(page, site):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()


def log_in(page, site, email):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page).to_have_url(f"{site}/members/me/")


def test_sign_up_confirm_ask_and_get_approved(
    page, new_context, site, editor, mailoutbox, console_errors
):
    page.goto(f"{site}/accounts/signup/")
    page.fill("input[name=email]", "jiwoo@example.kr")
    page.fill("input[name=display_name]", "지우")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="가입하기").click()
    expect(page.locator("h1")).to_have_text("메일함을 확인해 주세요")

    [confirmation] = mailoutbox
    link = re.search(r"http://\S+", confirmation.body).group(0)
    page.goto(link)
    page.locator("main form button[type=submit]").click()
    log_in(page, site, "jiwoo@example.kr")

    page.get_by_role("link", name="질문하기").first.click()
    page.fill("input[name=title]", TITLE)
    page.locator("textarea[name=body]").press_sequentially("**EXL2** 4.65bpw 기준입니다.", delay=5)
    # The live preview, through the server's pipeline.
    expect(page.locator("[data-preview-output] strong")).to_have_text("EXL2")
    page.get_by_role("button", name="질문 올리기").click()
    expect(page).to_have_url(f"{site}/members/me/")
    mine = page.locator(".contribution", has_text=TITLE)
    expect(mine.locator(".badge")).to_have_text("검토 대기")

    reader = new_context()
    reader.goto(f"{site}/community/")
    expect(reader.locator(".post-list")).not_to_contain_text(TITLE)

    editor_page = new_context()
    log_in_to_admin(editor_page, site)
    editor_page.goto(f"{site}/admin/members/contribution/?status__exact=pending")
    editor_page.get_by_role("link", name=TITLE).click()
    editor_page.select_option("select[name=decision]", "approve")
    editor_page.locator("input[name=_save]").click()
    expect(editor_page.locator(".messagelist")).to_be_visible()

    reader.goto(f"{site}/community/")
    expect(reader.locator(".post-list")).to_contain_text(TITLE)
    reader.goto(f"{site}/community/?q=24GB GPU 두 장")
    expect(reader.locator(".post-list")).to_contain_text("70B 모델을")

    page.reload()
    expect(mine.locator(".badge")).to_have_text("승인됨")
    assert mailoutbox[-1].to == ["jiwoo@example.kr"]
    assert "승인됨" in mailoutbox[-1].subject
    assert console_errors == []


def test_report_resolved_as_incorrect_from_the_queue(
    page, new_context, site, editor, mailoutbox, console_errors
):
    post = make_post(slug="q2-or-q4", title="어떤 양자화를 고를까요?", kind=Post.Kind.QUESTION)
    wrong = make_answer(post, body="Q2_K가 항상 가장 좋습니다.", is_accepted=True)
    correction = make_correction(post, body="Q4_K_M이 품질과 크기의 균형이 좋습니다.")
    reporter = make_member("보고자")

    log_in(page, site, reporter.email)
    page.goto(f"{site}{post.get_absolute_url()}")
    page.locator(f"#answer-{wrong.uid}").get_by_role("link", name="이 답변 신고").click()
    page.get_by_label("오답 신고").check()
    page.fill("textarea[name=reason]", "Q2_K는 품질 손실이 큽니다.")
    page.fill("input[name=source_url]", "https://github.com/ggml-org/llama.cpp")
    page.get_by_role("button", name="신고하기").click()
    report_row = page.locator(".contribution", has_text="오답 신고")
    expect(report_row.locator(".badge")).to_have_text("검토 중")

    # Readers see nothing different before the editors decide.
    reader = new_context()
    reader.goto(f"{site}{post.get_absolute_url()}")
    expect(reader.locator(f"#answer-{wrong.uid}")).to_contain_text("Q2_K가 항상")
    expect(reader.locator(".badge--corrected")).to_have_count(0)

    editor_page = new_context()
    log_in_to_admin(editor_page, site)
    editor_page.goto(f"{site}/admin/members/reportedanswer/")
    editor_page.locator("#result_list tbody th a").first.click()
    expect(editor_page.locator("#reports-group")).to_contain_text("Q2_K는 품질 손실이 큽니다.")
    editor_page.get_by_label("오답으로 정정").check()
    editor_page.fill("textarea[name=note]", "Q2_K는 품질 손실이 커서 권하지 않습니다.")
    editor_page.select_option("select[name=correction]", str(correction.pk))
    editor_page.locator("input[name=_save]").click()
    expect(editor_page.locator(".messagelist")).to_be_visible()

    reader.goto(f"{site}{post.get_absolute_url()}")
    corrected = reader.locator(f"#answer-{correction.uid}")
    expect(corrected).to_contain_text("Q4_K_M이 품질과")
    expect(corrected.locator(".badge--corrected")).to_be_visible()

    page.reload()
    expect(report_row.locator(".badge")).to_have_text("오답으로 정정됨")
    expect(report_row).to_contain_text("Q2_K는 품질 손실이 커서 권하지 않습니다.")
    assert mailoutbox[-1].to == [reporter.email]
    assert Answer.objects.get(pk=wrong.pk).status == Answer.Status.INCORRECT
    assert console_errors == []


def test_payloads_typed_into_member_forms_run_nothing(page, site, editor, console_errors):
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    member = make_member()
    log_in(page, site, member.email)
    for i, payload in enumerate(SAMPLE):
        page.goto(f"{site}/members/ask/")
        page.fill("input[name=title]", f"XSS 시험 질문 {i}")
        page.fill("textarea[name=body]", f"본문\n\n{payload}")  # the live preview shows it
        expect(page.locator("[data-preview-url]")).to_be_visible()
        page.get_by_role("button", name="질문 올리기").click()
        page.mouse.move(200, 300)
    # Markdown tricks without raw HTML go through, sanitized; the rest are refused.
    assert Contribution.objects.exists()
    for contribution in Contribution.objects.all():
        services.approve(contribution=contribution, editor=editor)
        page.goto(f"{site}{contribution.post.get_absolute_url()}")
        page.mouse.move(200, 300)
    page.goto(f"{site}/members/me/")
    assert alerts == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
