"""
Social login (Kakao, Naver, GitHub, Google) through allauth's providers, with
the providers' HTTP answers played back: no network.
"""

import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from unittest import mock

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from members.models import Member

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "ainex-test-client"


def google_id_token():
    # allauth skips the signature check for a token it fetched itself over
    # TLS (OpenID Connect Core 3.1.3.7), and checks issuer, audience and expiry.
    claims = {
        "iss": "https://accounts.google.com",
        "aud": CLIENT_ID,
        "sub": "108204268033311374519",
        "email": "seoyeon@gmail.example",
        "email_verified": True,
        "name": "김서연",
        "iat": int(time.time()),
        "exp": int(time.time()) + 600,
    }
    return jwt.encode(claims, "a key allauth does not check, 32+ bytes", algorithm="HS256")


# What each provider answers: the token endpoint, then the profile endpoints.
PROVIDERS = {
    "kakao": {
        "https://kauth.kakao.com/oauth/token": {"access_token": "k", "token_type": "bearer"},
        "https://kapi.kakao.com/v2/user/me": {
            "id": 2357,
            "kakao_account": {
                "email": "minsu@kakao.example",
                "is_email_valid": True,
                "is_email_verified": True,
                "profile": {"nickname": "민수"},
            },
        },
    },
    "naver": {
        "https://nid.naver.com/oauth2.0/token": {"access_token": "n", "token_type": "bearer"},
        "https://openapi.naver.com/v1/nid/me": {
            "resultcode": "00",
            "message": "success",
            "response": {"id": "nv-19", "email": "jisu@naver.example", "name": "이지수"},
        },
    },
    "github": {
        "https://github.com/login/oauth/access_token": {
            "access_token": "g",
            "token_type": "bearer",
        },
        "https://api.github.com/user": {
            "id": 583231,
            "login": "octo",
            "name": "옥토",
            "email": None,
        },
        "https://api.github.com/user/emails": [
            {"email": "octo@github.example", "primary": True, "verified": True}
        ],
    },
    "google": {
        "https://oauth2.googleapis.com/token": {
            "access_token": "o",
            "token_type": "bearer",
            "expires_in": 3600,
            "id_token": google_id_token(),
        },
    },
}
EMAILS = {
    "kakao": "minsu@kakao.example",
    "naver": "jisu@naver.example",
    "github": "octo@github.example",
    "google": "seoyeon@gmail.example",
}


def played_back(answers, asked):
    def request(session, method, url, **kwargs):
        asked.append(url)
        key = url.split("?")[0]
        if key not in answers:
            raise AssertionError(f"unexpected request to {url}")
        response = requests.Response()
        response.status_code = 200
        response.url = url
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(answers[key]).encode()
        return response

    return mock.patch.object(requests.Session, "request", request)


@pytest.fixture
def all_providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        provider: {"APPS": [{"client_id": CLIENT_ID, "secret": "s3cret"}]} for provider in PROVIDERS
    }


@pytest.mark.parametrize("provider", PROVIDERS)
def test_sign_up_with_a_provider(client, all_providers, provider):
    start = client.post(f"/accounts/{provider}/login/")
    assert start.status_code == 302
    authorize = urllib.parse.urlsplit(start["Location"])
    state = urllib.parse.parse_qs(authorize.query)["state"][0]
    asked = []
    with played_back(PROVIDERS[provider], asked):
        done = client.get(
            f"/accounts/{provider}/login/callback/", {"code": "from-provider", "state": state}
        )
    assert done.status_code == 302, done.content.decode()[:3000]
    assert done["Location"] == "/members/me/"
    assert set(asked) == set(PROVIDERS[provider]) - {None}
    account = SocialAccount.objects.get(provider=provider)
    assert EmailAddress.objects.get(user=account.user).email == EMAILS[provider]
    profile = client.get("/members/me/")
    assert profile.status_code == 200
    assert EMAILS[provider] in profile.content.decode()
    assert Member.objects.get(user=account.user)
    assert not account.user.is_staff


def test_a_forged_state_signs_nobody_in(client, all_providers):
    client.post("/accounts/kakao/login/")
    asked = []
    with played_back(PROVIDERS["kakao"], asked):
        response = client.get(
            "/accounts/kakao/login/callback/", {"code": "from-provider", "state": "forged"}
        )
    assert asked == []
    assert not SocialAccount.objects.exists()
    assert client.get("/members/me/").status_code == 302
    assert response.status_code == 401
    assert 'class="site-header"' in response.content.decode()


def test_a_login_never_starts_from_a_link(client, all_providers):
    page = client.get("/accounts/kakao/login/")
    assert page.status_code == 200
    assert "<form" in page.content.decode()


def test_the_login_page_offers_only_the_providers_switched_on(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "(으)로 계속하기" not in client.get("/accounts/login/").content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {"kakao": {"APPS": [{"client_id": "a", "secret": "b"}]}}
    page = client.get("/accounts/login/").content.decode()
    assert "Kakao(으)로 계속하기" in page
    assert "GitHub" not in page


def test_providers_are_switched_on_by_the_environment():
    script = "from django.conf import settings; print(sorted(settings.SOCIALACCOUNT_PROVIDERS))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AINEX_")}
    env |= {"DJANGO_SETTINGS_MODULE": "ainex.settings"}
    switched = env | {"AINEX_NAVER_CLIENT_ID": "id", "AINEX_NAVER_SECRET": "secret"}
    for environment, expected in ((env, "[]"), (switched, "['naver']")):
        out = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == expected
