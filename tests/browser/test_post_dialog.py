"""The list's dialog always shows the clicked post, in a real browser."""

import contextlib
import re
import time

import pytest
from playwright.sync_api import expect

from community.models import Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DIALOG = "#post-dialog"
DIALOG_ARTICLE = "#post-dialog [data-dialog-body] article[data-post-id]"


def first_page_posts():
    return list(Post.objects.published().for_detail().newest_first()[:20])


def open_list(page, site):
    page.goto(f"{site}/community/")
    expect(page.locator(".post-item").first).to_be_visible()


def link_of(page, post):
    return page.locator(f'.post-item[data-post-id="{post.pk}"] .post-item__link')


def first_words(html, n=6):
    text = re.sub(r"<[^>]+>", "", html)
    text = re.sub(r"\s+", " ", text).strip()
    return " ".join(text.split(" ")[:n])


def test_every_post_on_the_first_page_opens_its_own_question_and_answer(page, site, console_errors):
    open_list(page, site)
    posts = first_page_posts()
    assert len(posts) == page.locator(".post-item").count() >= 8

    for post in posts:
        link_of(page, post).click()
        article = page.locator(DIALOG_ARTICLE)
        expect(article).to_have_attribute("data-post-id", str(post.pk))
        expect(article.locator("h1")).to_have_text(post.title)
        expect(page.locator(DIALOG)).to_contain_text(first_words(post.body_html))
        if post.accepted_answer:
            expect(page.locator(DIALOG)).to_contain_text(
                first_words(post.accepted_answer.body_html)
            )
        # Only one post's article is ever in the dialog.
        assert page.locator(f"{DIALOG} article.post").count() == 1
        assert page.url.endswith(post.get_absolute_url())
        # The dialog is labelled by the post's title.
        assert page.locator(DIALOG).get_attribute("aria-labelledby") == f"post-title-{post.pk}"

        page.keyboard.press("Escape")
        expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
        assert page.url == f"{site}/community/"
        expect(link_of(page, post)).to_be_focused()

    assert console_errors == []


def test_a_slow_earlier_response_never_replaces_a_later_click(page, site, console_errors):
    open_list(page, site)
    first, second = first_page_posts()[:2]

    def slow(route):
        time.sleep(1.5)
        with contextlib.suppress(Exception):  # the page aborted the request meanwhile
            route.continue_()

    page.route(f"**{first.get_modal_url()}", slow)

    # Two clicks in one moment, the slow post first.
    page.evaluate(
        """([a, b]) => {
            document.querySelector(`.post-item[data-post-id="${a}"] .post-item__link`).click();
            document.querySelector(`.post-item[data-post-id="${b}"] .post-item__link`).click();
        }""",
        [first.pk, second.pk],
    )
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(second.pk))
    page.wait_for_timeout(2500)  # well past the slow response
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(second.pk))
    # Neither the first post's title nor its answer is the article's; only a
    # "related posts" link may name it.
    expect(page.locator(f"{DIALOG_ARTICLE} h1")).to_have_text(second.title)
    article_text = page.evaluate(
        """() => {
            const article = document.querySelector("#post-dialog article[data-post-id]").cloneNode(true);
            article.querySelector("aside.related")?.remove();
            return article.innerText;
        }"""
    )
    assert first.title not in article_text
    if first.accepted_answer:
        assert first_words(first.accepted_answer.body_html) not in article_text
    assert [e for e in console_errors if "abort" not in e.lower()] == []


def test_quick_close_and_reopen_ends_on_the_last_clicked_post(page, site):
    open_list(page, site)
    first, second = first_page_posts()[2:4]
    page.route(f"**{first.get_modal_url()}", lambda route: (time.sleep(1.2), route.continue_()))

    link_of(page, first).click()
    # While it loads, the dialog shows a loading state, never an older post.
    expect(page.locator(f"{DIALOG} [role=status]")).to_be_visible()
    assert page.locator(f"{DIALOG} article.post").count() == 0
    page.keyboard.press("Escape")
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    link_of(page, second).click()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(second.pk))
    page.wait_for_timeout(2000)
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(second.pk))


def test_closing_twice_at_once_goes_back_once(page, site, console_errors):
    page.goto(f"{site}/")
    page.locator('a[href="/community/"]').first.click()
    expect(page.locator(".post-item").first).to_be_visible()
    post = first_page_posts()[0]
    link_of(page, post).click()
    expect(page.locator(DIALOG_ARTICLE)).to_be_visible()
    # Two close requests before the first Back has happened, as Esc and then a
    # quick backdrop click would make.
    page.evaluate("""() => {
        const button = document.querySelector("[data-dialog-close]");
        button.click();
        button.click();
    }""")
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    page.wait_for_timeout(500)
    assert page.url == f"{site}/community/"
    assert console_errors == []


def test_back_closes_and_forward_reopens(page, site, console_errors):
    open_list(page, site)
    post = first_page_posts()[1]
    link_of(page, post).click()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))
    assert page.url == f"{site}{post.get_absolute_url()}"

    page.go_back()
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    assert page.url == f"{site}/community/"
    expect(link_of(page, post)).to_be_focused()

    page.go_forward()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))
    assert page.url == f"{site}{post.get_absolute_url()}"
    assert console_errors == []


def test_the_close_button_closes_and_returns_focus(page, site):
    open_list(page, site)
    post = first_page_posts()[0]
    link_of(page, post).click()
    expect(page.locator(DIALOG_ARTICLE)).to_be_visible()
    page.locator("[data-dialog-close]").click()
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    expect(link_of(page, post)).to_be_focused()
    assert page.url == f"{site}/community/"


def test_reloading_at_the_post_url_shows_the_full_page(page, site, console_errors):
    open_list(page, site)
    post = first_page_posts()[0]
    link_of(page, post).click()
    expect(page.locator(DIALOG_ARTICLE)).to_be_visible()
    page.reload()
    expect(page.locator("main h1")).to_have_text(post.title)
    assert page.locator(DIALOG).count() == 0
    assert console_errors == []


def test_a_deep_link_opens_the_post_page(page, site, console_errors):
    post = Post.objects.get(slug="llama-3-70b-quantization")
    page.goto(f"{site}{post.get_absolute_url()}")
    expect(page.locator("main h1")).to_have_text(post.title)
    expect(page.locator("main")).to_contain_text("기법별 비교 요약")
    assert console_errors == []


def test_without_javascript_the_link_opens_the_post_page(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/community/")
    post = first_page_posts()[0]
    link_of(page, post).click()
    page.wait_for_url(f"{site}{post.get_absolute_url()}")
    expect(page.locator("main h1")).to_have_text(post.title)
    context.close()


def test_the_guide_and_home_load_without_console_errors(page, site, console_errors):
    for path in ("/", "/guide/", "/community/no-such-post/"):
        page.goto(f"{site}{path}")
        expect(page.locator("main h1")).to_be_visible()
    assert [e for e in console_errors if "404" not in e] == []


def test_quick_back_and_forward_end_on_the_post(page, site, console_errors):
    open_list(page, site)
    post = first_page_posts()[3]
    link_of(page, post).click()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))
    for _ in range(3):
        page.go_back()
        page.go_forward()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))
    assert page.url == f"{site}{post.get_absolute_url()}"
    assert console_errors == []


def test_selecting_text_and_letting_go_outside_keeps_the_dialog_open(page, site, console_errors):
    open_list(page, site)
    post = first_page_posts()[0]
    link_of(page, post).click()
    title = page.locator(f"{DIALOG_ARTICLE} h1")
    expect(title).to_have_text(post.title)
    assert page.title() == f"{post.title} · AiNex"
    text, box = title.bounding_box(), page.locator(DIALOG).bounding_box()
    y = text["y"] + text["height"] / 2
    page.mouse.move(text["x"] + 5, y)
    page.mouse.down()
    page.mouse.move(box["x"] - 20, y, steps=5)
    page.mouse.up()
    page.wait_for_timeout(300)
    expect(page.locator(DIALOG)).to_have_attribute("open", "")
    assert page.url.endswith(post.get_absolute_url())

    # A click pressed and released on the backdrop still closes it.
    page.mouse.click(box["x"] - 20, y)
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    assert page.url == f"{site}/community/"
    assert page.title() == "최신 토론 및 정보 · AiNex"
    assert console_errors == []


def test_a_double_click_on_an_item_leaves_its_dialog_open(page, site, console_errors):
    open_list(page, site)
    post = first_page_posts()[0]
    link = link_of(page, post).bounding_box()
    x, y = link["x"] + 3, link["y"] + link["height"] / 2
    page.mouse.dblclick(x, y)
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))
    box = page.locator(DIALOG).bounding_box()
    assert x < box["x"], "the second click must land on the backdrop for this test to mean much"
    page.wait_for_timeout(300)
    expect(page.locator(DIALOG)).to_have_attribute("open", "")
    assert page.url.endswith(post.get_absolute_url())
    assert console_errors == []
