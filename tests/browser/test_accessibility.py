"""
WCAG 2.2 A and AA in a real browser, in light and dark, at desktop and phone
widths: axe-core finds no violation on any page a reader or an editor uses,
and on public pages every element the keyboard reaches shows a focus ring of
at least 3:1 against what it is drawn on, not hidden under anything.

A new page is one more line in PUBLIC_PAGES or EDITOR_PAGES.
"""

import pytest
from playwright.sync_api import expect

from community.models import Answer, Post, Tag
from guide.models import FormatProfile, Scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SCHEMES = ["light", "dark"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
DIALOG_ARTICLE = "#post-dialog [data-dialog-body] article[data-post-id]"


def open_dialog(page):
    page.locator(".post-item__link").first.click()
    expect(page.locator(DIALOG_ARTICLE)).to_be_visible()


def open_wrong_answers(page):
    for summary in page.locator("details.answer--incorrect > summary").all():
        summary.click()


def edited_post_history():
    """The history of a post edited twice, the second time in mid-text: a word diff with gaps."""
    post = corrected_answer().post
    post.title += " (수정)"
    post.body += "\n\n" + " ".join(f"덧붙인{n}" for n in range(40))
    post.save()
    post.body = post.body.replace("덧붙인20", "고친낱말")
    post.save()
    return post.get_history_url()


def seed_post():
    return Post.objects.get(slug="llama-3-70b-quantization")


def corrected_answer():
    return Answer.objects.filter(status=Answer.Status.INCORRECT).first()


# name: (the address, or a function that returns it; what to do on the page first)
PUBLIC_PAGES = {
    "home": ("/", None),
    "list": ("/community/", None),
    "list with the dialog open": ("/community/", open_dialog),
    "post": (lambda: seed_post().get_absolute_url(), None),
    "post with its wrong answer open": (
        lambda: corrected_answer().post.get_absolute_url(),
        open_wrong_answers,
    ),
    "post history": (edited_post_history, None),
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

# name: the address, or a function that returns it (signed in as an editor)
EDITOR_PAGES = {
    "index": "/admin/",
    "post list": "/admin/community/post/",
    "post add": "/admin/community/post/add/",
    "post change": lambda: f"/admin/community/post/{seed_post().pk}/change/",
    "answer list": "/admin/community/answer/",
    "answer change": lambda: f"/admin/community/answer/{corrected_answer().pk}/change/",
    "post history": lambda: f"/admin/community/post/{seed_post().pk}/history/",
    "post revision": lambda: (
        f"/admin/community/post/{seed_post().pk}/history/"
        f"{seed_post().history.earliest().history_id}/"
    ),
    "answer history": lambda: f"/admin/community/answer/{corrected_answer().pk}/history/",
    # Reference records: list_editable lists and tabular inlines are tables of inputs.
    "format list": "/admin/guide/formatprofile/",
    "format change": lambda: (
        f"/admin/guide/formatprofile/{FormatProfile.objects.get(name='GGUF').pk}/change/"
    ),
    "scenario change": lambda: f"/admin/guide/scenario/{Scenario.objects.first().pk}/change/",
}


def address(path):
    return path() if callable(path) else path


@pytest.fixture(params=[f"{s} {w}" for s in SCHEMES for w in VIEWPORTS])
def look(request, page):
    """The page in one colour scheme at one width; each test runs in all four."""
    scheme, width = request.param.split()
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(VIEWPORTS[width])
    return request.param


# What a keyboard user's focus lands on, read after each Tab: the focus ring as
# drawn (an outline outside the element, unless its offset is negative), the
# colour it is drawn on (the ancestors' backgrounds, composited), and whether
# anything is drawn over the whole element (WCAG 2.4.11, e.g. a sticky bar).
FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body || window.__tabbed.has(element)) return null;
    window.__tabbed.add(element);
    const rgba = (colour) => {
        const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number);
        return [r, g, b, a];
    };
    const style = getComputedStyle(element);
    const layers = [];
    let node = parseFloat(style.outlineOffset) < 0 ? element : element.parentElement;
    for (; node; node = node.parentElement) {
        layers.push(rgba(getComputedStyle(node).backgroundColor));
        if (layers.at(-1)[3] === 1) break;
    }
    let background = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) {
        background = [r, g, b].map((c, i) => c * a + background[i] * (1 - a));
    }
    const box = element.getBoundingClientRect();
    const points = [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]];
    const shown = points.some(([x, y]) => {
        const hit = document.elementFromPoint(box.left + box.width * x, box.top + box.height * y);
        return hit && (element.contains(hit) || hit.contains(element));
    });
    return {
        element: element.outerHTML.slice(0, 80),
        outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
        ring: rgba(style.outlineColor),
        background,
        shown,
    };
}"""


def luminance(rgb):
    """WCAG's relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = map(linear, rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, other):
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def tab_through(page, limit=400):
    """Every element that Tab reaches on the page as it is, in order, once each."""
    page.evaluate("window.__tabbed = new Set()")
    reached = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        reached.append(focused)
    return reached


def focus_problems(page):
    """The elements Tab reaches whose focus ring is missing, under 3:1 or hidden."""
    reached = tab_through(page)
    assert len(reached) >= 3, "the keyboard reaches at least the skip link and the menu"
    problems = []
    for focused in reached:
        *ring, alpha = focused["ring"]
        ring = [
            c * alpha + b * (1 - alpha) for c, b in zip(ring, focused["background"], strict=True)
        ]
        ratio = contrast(ring, focused["background"])
        if focused["outline"] < 2 or ratio < 3 or not focused["shown"]:
            problems.append(f"focus ring {ratio:.2f}:1 {focused}")
    return problems


def assert_none(problems):
    assert problems == [], "\n".join(problems)


def test_public_pages_pass_axe_and_keyboard_checks(look, page, site, axe_violations):
    problems = []
    for name, (path, prepare) in PUBLIC_PAGES.items():
        page.goto(f"{site}{address(path)}")
        expect(page.locator("main h1")).to_be_visible()
        if prepare:
            prepare(page)
        problems += [f"{name}: axe {line}" for line in axe_violations(page)]
        problems += [f"{name}: {line}" for line in focus_problems(page)]
    assert_none(problems)


def test_editor_pages_have_no_wcag_violations(look, page, site, editor, axe_violations):
    page.goto(f"{site}/admin/login/")
    problems = [f"sign-in: {line}" for line in axe_violations(page)]
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    for name, path in EDITOR_PAGES.items():
        # "networkidle": the Markdown editors' first preview has come back, and
        # is not cut off by the next page.
        page.goto(f"{site}{address(path)}", wait_until="networkidle")
        expect(page.locator("#content")).to_be_visible()
        problems += [f"{name}: {line}" for line in axe_violations(page)]
    assert_none(problems)
