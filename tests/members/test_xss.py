"""The XSS corpus, sent through every member form, runs nowhere it is shown."""

from collections import Counter

import pytest

from community.models import Post
from members import services
from members.models import Contribution, Report
from tests.factories import make_answer, make_post
from tests.html_safety import region, script_problems
from tests.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db


def page_problems(response):
    return Counter(script_problems(region(response.content.decode(), "<main", "</main>")))


@pytest.fixture
def no_limits(settings):
    settings.MEMBER_HOURLY_LIMITS = dict.fromkeys(settings.MEMBER_HOURLY_LIMITS, 100_000)
    settings.ACCOUNT_RATE_LIMITS = False


def test_every_member_form(member_client, member, editor, editor_client, no_limits):
    from django.test import Client

    client = Client()
    target = make_post(slug="target")
    answer = make_answer(target, body="보통 답변")
    forms = {
        "/members/ask/": lambda i, p: {"title": f"질문 {i} {p}"[:200], "body": f"본문 {i}\n\n{p}"},
        f"/members/questions/{target.slug}/answer/": lambda i, p: {
            "body": f"답변 {i}\n\n{p}",
            "source_label": p[:120],
            # Every other one: an address field refuses nearly every payload.
            "source_url": p[:500] if i % 2 else "https://example.com/",
        },
        f"/members/answers/{answer.uid}/report/": lambda i, p: {
            "kind": "incorrect",
            "reason": f"신고 {i} {p}",
            "source_url": p[:500] if i % 2 else "",
        },
    }
    # The site's own form controls, which every form page has.
    own = {path: page_problems(member_client.get(path)) for path in forms}
    accepted = Counter()
    for i, (_category, payload) in enumerate(PAYLOADS):
        for path, fields in forms.items():
            response = member_client.post(path, fields(i, payload))
            assert response.status_code in (302, 400), (path, payload)
            if response.status_code == 302:
                accepted[path] += 1
            else:  # the refused form shows the payload back, as inert text
                assert page_problems(response) == own[path], (path, payload)
        preview = member_client.post("/members/preview/", {"content": payload})
        assert script_problems(preview.content.decode()) == [], payload
        signup = client.post(
            "/accounts/signup/",
            {"email": f"x{i}@example.kr", "display_name": payload[:40], "password1": "a"},
        )
        assert "<main" in signup.content.decode()
        assert page_problems(signup) == page_problems(client.get("/accounts/signup/")), payload
        client.cookies.clear()
    # Some of each went through (Markdown tricks without raw HTML, sanitized at save).
    assert all(accepted[path] > 0 for path in forms), accepted

    for contribution in Contribution.objects.all():
        review = editor_client.get(f"/admin/members/contribution/{contribution.pk}/change/")
        shown = region(review.content.decode(), '<div class="member-content">', "field-decision")
        assert script_problems(shown) == [], contribution.pk
        services.approve(contribution=contribution, editor=editor)

    assert page_problems(member_client.get("/members/me/")) == Counter(
        ["<form>", "<input>", "<button>"]
    )  # log out
    for post in Post.objects.published():
        page = client.get(post.get_absolute_url()).content.decode()
        assert script_problems(region(page, '<article class="post"', "</main>")) == [], post.slug
    listing = client.get("/community/").content.decode()
    assert script_problems(region(listing, '<div class="post-list"', "<dialog")) == []
    reported = editor_client.get(f"/admin/members/reportedanswer/{answer.pk}/change/")
    assert Report.objects.count() == accepted[f"/members/answers/{answer.uid}/report/"]
    reasons = region(reported.content.decode(), 'id="reports-group"', "</fieldset>")
    # The inline's own hidden inputs (row ids), and nothing else.
    problems = Counter(script_problems(reasons))
    assert problems == Counter({"<input>": reasons.count('type="hidden"')})
