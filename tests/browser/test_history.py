"""Back and Forward always show the page that the address names, in a real browser."""

import pytest
from playwright.sync_api import expect

from community.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST_TITLE = "최신 토론 및 정보"


def shows_the_list(page, site):
    expect(page).to_have_url(f"{site}/community/")
    expect(page.locator("main > h1")).to_have_text(LIST_TITLE)
    expect(page.locator("#post-dialog")).not_to_have_attribute("open", "")
    expect(page.locator("article.post")).to_have_count(0)


def shows_the_post(page, site, post):
    """The post, in the list's dialog or on its own page."""
    expect(page).to_have_url(f"{site}{post.get_absolute_url()}")
    expect(page.locator("article.post h1").filter(visible=True)).to_have_text(post.title)


def open_in_dialog(page, site, post):
    page.goto(f"{site}/community/")
    page.locator(f'.post-item[data-post-id="{post.pk}"] .post-item__link').click()
    expect(page.locator("#post-dialog article.post h1")).to_have_text(post.title)


def test_back_and_forward_after_a_reload_in_the_dialog(page, site, console_errors):
    post = Post.objects.get(slug="which-gguf-file")
    open_in_dialog(page, site, post)
    page.reload()
    expect(page.locator("main > nav.breadcrumbs")).to_be_visible()  # the post's own page
    shows_the_post(page, site, post)

    page.go_back()
    shows_the_list(page, site)
    page.go_forward()
    shows_the_post(page, site, post)
    page.go_back()
    shows_the_list(page, site)
    assert console_errors == []


def test_back_and_forward_after_a_tag_link_in_the_dialog(page, site, console_errors):
    post = Post.objects.get(slug="which-gguf-file")
    open_in_dialog(page, site, post)
    page.locator("#post-dialog .chip", has_text="#양자화").click()
    tag_page = f"{site}/community/tags/quantization/"
    expect(page).to_have_url(tag_page)
    expect(page.locator("main > h1")).to_have_text("#양자화")

    page.go_back()
    shows_the_post(page, site, post)
    page.go_back()
    shows_the_list(page, site)
    page.go_forward()
    shows_the_post(page, site, post)
    page.go_forward()
    expect(page).to_have_url(tag_page)
    expect(page.locator("main > h1")).to_have_text("#양자화")
    expect(page.locator("article.post")).to_have_count(0)
    assert console_errors == []


def test_a_link_to_an_answer_inside_the_dialog_stays_in_the_dialog(page, site, console_errors):
    post = Post.objects.get(
        slug="llama-3-70b-quantization"
    )  # its correction links the wrong answer
    open_in_dialog(page, site, post)
    link = page.locator("#post-dialog a[href^='#answer-']").first
    fragment = link.get_attribute("href")
    link.click()
    expect(page.locator(f"#post-dialog [id='{fragment[1:]}']")).to_be_in_viewport()
    expect(page.locator("#post-dialog")).to_have_attribute("open", "")
    shows_the_post(page, site, post)  # the address still names the post, no new entry

    page.go_back()
    shows_the_list(page, site)
    page.go_forward()
    shows_the_post(page, site, post)
    page.reload()
    shows_the_post(page, site, post)
    page.go_back()
    shows_the_list(page, site)
    assert console_errors == []
