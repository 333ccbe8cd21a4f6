"""
Two members and an anonymous reader through two server processes sharing one
database and one Redis, page cache on: no page meant for one of them is ever
served to another.
"""

import http.cookiejar
import subprocess
import sys
import urllib.request

import pytest

from scripts.local_server import gunicorn
from tests.live import ROOT, EditorSession, fetch
from tests.test_scale_out import environment, redis_answers  # noqa: F401 - a fixture

pytestmark = pytest.mark.skipif(not redis_answers(), reason="Redis is not running")
PASSWORD = "scale-out-member-42"
PATHS = [
    "/",
    "/community/",
    "/community/which-gguf-file/",
    "/community/which-gguf-file/modal/",
    "/guide/",
    "/guide/advisor/",
]
MAKE_MEMBERS = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from members.models import Member
for name in ("first", "second"):
    user = get_user_model().objects.create_user(name, name + "@members.example", {PASSWORD!r})
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Member.objects.create(user=user, display_name=name)
"""


class MemberSession(EditorSession):
    def __init__(self, base):
        super().__init__(base)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf_secret(self):
        return next((c.value for c in self.jar if c.name == "csrftoken"), None)

    def log_in_as(self, email):
        page = self.get("/accounts/login/")
        url, _ = self.post_form("/accounts/login/", page, {"login": email, "password": PASSWORD})
        assert url.endswith("/members/me/"), url


def test_no_page_meant_for_one_member_reaches_another(environment):  # noqa: F811
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", MAKE_MEMBERS],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    with gunicorn(environment, workers=1) as one, gunicorn(environment, workers=1) as two:
        first, second = MemberSession(one), MemberSession(two)
        first.log_in_as("first@members.example")
        second.log_in_as("second@members.example")
        emails = {"first": "first@members.example", "second": "second@members.example"}
        for path in PATHS:
            # Members first, through both servers, so that a page stored for
            # them would be what the next visitor gets.
            seen = {}
            for base in (one, two):
                first.base = second.base = base
                seen[("first", base)] = first.get(path)
                seen[("second", base)] = second.get(path)
                seen[("anonymous", base)] = fetch(base + path)
                seen[("anonymous again", base)] = fetch(base + path)
            for (who, _base), page in seen.items():
                others = [email for name, email in emails.items() if name != who]
                assert not any(email in page for email in others), (who, path)
                if who.startswith("anonymous"):
                    assert "data-member-menu" not in page, path
                    assert "csrfmiddlewaretoken" not in page, path
                elif "site-header" in page:
                    assert emails[who] in page, (who, path)
        # Each member's CSRF secret is their own; public pages carry none (above).
        secrets = {session.csrf_secret() for session in (first, second)}
        assert len(secrets) == 2 and None not in secrets
