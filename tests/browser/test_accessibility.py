"""
WCAG 2.2 A and AA, checked by axe-core in a real browser, in light and dark.

Every page a reader or an editor uses is listed once below; a new page is one
more line in PUBLIC_PAGES or EDITOR_PAGES.
"""

import pytest
from playwright.sync_api import expect

from community.models import Answer, FormatProfile, Post, Scenario, Tag

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCHEMES = ["light", "dark"]
DIALOG_ARTICLE = "#post-dialog [data-dialog-body] article[data-post-id]"


def open_dialog(page):
    page.locator(".post-item__link").first.click()
    expect(page.locator(DIALOG_ARTICLE)).to_be_visible()


# name: (the address, or a function of nothing that returns it; what to do on the page first)
PUBLIC_PAGES = {
    "home": ("/", None),
    "list": ("/community/", None),
    "list with the dialog open": ("/community/", open_dialog),
    "post": (lambda: Post.objects.get(slug="llama-3-70b-quantization").get_absolute_url(), None),
    "tag": (lambda: Tag.objects.get(slug="quantization").get_absolute_url(), None),
    "search": ("/community/?q=양자화", None),
    "search without results": ("/community/?q=없는낱말", None),
    "guide": ("/guide/", None),
    "advisor": ("/guide/advisor/", None),
    "advisor with a result": (
        "/guide/advisor/?preset=Llama-3+70B&platform=nvidia_gpu&memory_gb=24&devices=2"
        "&context=8192&use=B",
        None,
    ),
    "advisor with an error": ("/guide/advisor/?platform=nvidia_gpu&memory_gb=-1", None),
    "404": ("/community/no-such-post/", None),
    "400": ("/community/?kind=nonsense", None),
}

EDITOR_PAGES = {
    "index": lambda: "/admin/",
    "post list": lambda: "/admin/community/post/",
    "post add": lambda: "/admin/community/post/add/",
    "post change": lambda: f"/admin/community/post/{seed_post().pk}/change/",
    "answer list": lambda: "/admin/community/answer/",
    "answer change": lambda: f"/admin/community/answer/{corrected_answer().pk}/change/",
    "post history": lambda: f"/admin/community/post/{seed_post().pk}/history/",
    "post revision": lambda: (
        f"/admin/community/post/{seed_post().pk}/history/"
        f"{seed_post().history.earliest().history_id}/"
    ),
    "answer history": lambda: f"/admin/community/answer/{corrected_answer().pk}/history/",
    # Reference records: list_editable lists and tabular inlines are tables of inputs.
    "format list": lambda: "/admin/community/formatprofile/",
    "format change": lambda: (
        f"/admin/community/formatprofile/{FormatProfile.objects.get(name='GGUF').pk}/change/"
    ),
    "scenario change": lambda: f"/admin/community/scenario/{Scenario.objects.first().pk}/change/",
}


def seed_post():
    return Post.objects.get(slug="llama-3-70b-quantization")


def corrected_answer():
    return Answer.objects.filter(status=Answer.Status.INCORRECT).first()


def assert_none(found):
    report = [f"{scheme}: {line}" for scheme, lines in found.items() for line in lines]
    assert report == [], "\n".join(report)


def address(path):
    return path() if callable(path) else path


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(name, page, site, axe_violations):
    path, prepare = PUBLIC_PAGES[name]
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{site}{address(path)}")
        expect(page.locator("main h1")).to_be_visible()
        if prepare:
            prepare(page)
        found[scheme] = axe_violations(page)
    assert_none(found)


@pytest.fixture
def signed_in_editor(page, site, editor):
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    return page


def test_admin_sign_in_page_has_no_wcag_violations(page, site, axe_violations):
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{site}/admin/login/")
        found[scheme] = axe_violations(page)
    assert_none(found)


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_editor_page_has_no_wcag_violations(name, signed_in_editor, site, axe_violations):
    page = signed_in_editor
    found = {}
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        page.goto(f"{site}{EDITOR_PAGES[name]()}")
        expect(page.locator("#content")).to_be_visible()
        found[scheme] = axe_violations(page)
    assert_none(found)
