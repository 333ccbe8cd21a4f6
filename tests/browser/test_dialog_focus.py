"""
The list's dialog gives focus back to the post link that opened it, whichever
way it is closed (Esc, its button, Back) and however the list was reached:
after its skip link (the address ends in #main), by a link with a fragment,
after a reload, and when Forward opens the dialog again after a reload.
"""

import pytest
from playwright.sync_api import expect

from community.models import Post

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DIALOG = "#post-dialog"
DIALOG_ARTICLE = "#post-dialog [data-dialog-body] article[data-post-id]"

CLOSES = {
    "Esc": lambda page: page.keyboard.press("Escape"),
    "the close button": lambda page: page.locator("[data-dialog-close]").click(),
    "Back": lambda page: page.go_back(),
}


def a_post():
    return Post.objects.published().newest_first()[1]


def link_of(page, post):
    return page.locator(f'.post-item[data-post-id="{post.pk}"] .post-item__link')


def open_dialog(page, post, by_keyboard=False):
    if by_keyboard:
        link_of(page, post).focus()
        page.keyboard.press("Enter")
    else:
        link_of(page, post).click()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))


def close_dialog_and_expect_focus_back(page, post, close):
    CLOSES[close](page)
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    expect(link_of(page, post)).to_be_focused()
    # Where the browser moves focus itself, it does so after the close.
    page.wait_for_timeout(300)
    expect(link_of(page, post)).to_be_focused()


@pytest.mark.parametrize("by_keyboard", [False, True], ids=["click", "Enter"])
def test_after_the_skip_link(page, site, by_keyboard):
    post = a_post()
    for close in CLOSES:
        page.goto(f"{site}/community/")
        page.keyboard.press("Tab")
        expect(page.locator('.skip-link[href="#main"]')).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url("**/community/#main")
        expect(page.locator("main")).to_be_focused()
        open_dialog(page, post, by_keyboard)
        close_dialog_and_expect_focus_back(page, post, close)


def test_reached_by_an_address_with_a_fragment(page, site):
    post = a_post()
    for close in CLOSES:
        page.goto(f"{site}/community/#main")
        open_dialog(page, post)
        close_dialog_and_expect_focus_back(page, post, close)


def test_after_a_reload(page, site):
    post = a_post()
    page.goto(f"{site}/community/#main")
    for close in CLOSES:
        page.reload()
        open_dialog(page, post)
        close_dialog_and_expect_focus_back(page, post, close)


def test_reopened_by_forward_after_a_reload(page, site):
    post = a_post()
    page.goto(f"{site}/community/")
    open_dialog(page, post)
    CLOSES["Esc"](page)
    expect(page.locator(DIALOG)).not_to_have_attribute("open", "")
    page.reload()
    # The list's reloaded page shows the post's entry that the dialog left.
    page.go_forward()
    expect(page.locator(DIALOG_ARTICLE)).to_have_attribute("data-post-id", str(post.pk))
    close_dialog_and_expect_focus_back(page, post, "Esc")
