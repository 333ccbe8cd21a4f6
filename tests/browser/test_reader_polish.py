"""What a new reader meets: the keyboard path to the list, structured data under the CSP."""

import json

import pytest
from playwright.sync_api import expect

from community.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_the_first_post_is_three_tabs_after_the_skip_link(page, site, console_errors):
    page.goto(f"{site}/community/")
    first = Post.objects.published().newest_first().first()
    presses = 0
    while focused_text(page) != "글 목록으로 건너뛰기":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 2, "the skip link to the list is the second stop on the page"
    expect(page.locator(":focus")).to_be_visible()  # shown when focused
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("Tab")
        if focused_text(page) == first.title:
            break
    expect(page.locator(":focus")).to_have_attribute("href", first.get_absolute_url())
    assert console_errors == []


def test_structured_data_is_not_blocked_or_run_under_the_csp(page, site, console_errors):
    post = Post.objects.get(slug="llama-3-70b-quantization")
    response = page.goto(f"{site}{post.get_absolute_url()}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["mainEntity"]["acceptedAnswer"]["text"]
    page.wait_for_timeout(300)
    assert console_errors == []  # a CSP violation would be reported here
