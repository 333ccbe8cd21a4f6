"""Pages that hold hostile Markdown run none of it in a real browser."""

import pytest
from playwright.sync_api import expect

from community.models import Post
from tests.factories import make_answer, make_post
from tests.xss_corpus import PAYLOADS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One or two of every category, so each trick is tried in a real browser.
SAMPLE = [payload for i, (_c, payload) in enumerate(PAYLOADS) if i % 6 == 0]


@pytest.fixture
def hostile_posts(live_server):
    posts = []
    for i, payload in enumerate(SAMPLE):
        post = make_post(slug=f"hostile-{i}", title=f"위험한 글 {i}", body=f"질문\n\n{payload}")
        make_answer(post, body=f"답변\n\n{payload}", is_accepted=True)
        posts.append(post)
    return posts


def test_no_payload_runs_on_the_list_the_dialog_or_the_post_page(
    page, live_server, hostile_posts, console_errors
):
    alerts = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))

    page.goto(f"{live_server.url}/community/")
    for post in Post.objects.order_by("-published_at")[:20]:
        page.locator(f'.post-item[data-post-id="{post.pk}"] .post-item__link').click()
        expect(page.locator("#post-dialog article[data-post-id]")).to_have_attribute(
            "data-post-id", str(post.pk)
        )
        page.keyboard.press("Escape")
        # Esc goes back in history; wait for it, or the next navigation races it.
        expect(page).to_have_url(f"{live_server.url}/community/")
    for post in hostile_posts:
        page.goto(f"{live_server.url}{post.get_absolute_url()}")
        page.mouse.move(200, 300)  # hover handlers would fire here
        page.wait_for_timeout(50)

    assert alerts == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
