"""Pictures editors drop into the Markdown editor: checked, cleaned, stored, shown."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from community import editor_views
from community.markdown import render_markdown
from tests.factories import make_answer, make_post


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def picture(kind="PNG", size=(40, 30), **save):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=kind, **save)
    return out.getvalue()


def upload(client, name, data, content_type="image/png"):
    return client.post(
        "/markdownx/upload/", {"image": SimpleUploadedFile(name, data, content_type=content_type)}
    )


def test_a_png_is_stored_and_shown_on_the_page(editor_client, client, media):
    response = upload(editor_client, "토큰 속도.png", picture())
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![토큰 속도](/media/uploads/") and code.endswith("-40x30.png)")
    (stored,) = stored_files(media)
    assert Image.open(stored).size == (40, 30)

    post = make_post()
    make_answer(post, body=f"그래프입니다.\n\n{code}")
    page = client.get(post.get_absolute_url()).content.decode()
    url = code[code.index("(") + 1 : -1]
    assert (
        f'<img alt="토큰 속도" decoding="async" height="30" loading="lazy" src="{url}" width="40">'
        in page
    )
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content) == stored.read_bytes()


@pytest.mark.parametrize("kind", ["JPEG", "WEBP", "GIF"])
def test_the_other_accepted_types_are_stored(editor_client, media, kind):
    response = upload(editor_client, f"x.{kind.lower()}", picture(kind), f"image/{kind.lower()}")
    assert response.status_code == 200, response.content
    (stored,) = stored_files(media)
    assert Image.open(stored).format == kind


def test_metadata_is_stripped(editor_client, media):
    exif = Image.Exif()
    exif[0x010F] = "카메라 제조사"  # Make
    exif[0x8825] = {2: (37.0, 33.0, 0.0)}  # GPS latitude
    response = upload(editor_client, "photo.jpg", picture("JPEG", exif=exif), "image/jpeg")
    assert response.status_code == 200
    (stored,) = stored_files(media)
    assert not Image.open(stored).getexif()
    assert b"Exif" not in stored.read_bytes()


def test_a_polyglot_loses_what_rode_along(editor_client, media):
    data = picture() + b"<html><script>alert(1)</script></html>"
    assert upload(editor_client, "x.png", data).status_code == 200
    (stored,) = stored_files(media)
    assert b"<script" not in stored.read_bytes()


def decompression_bomb():
    """A tiny PNG that claims 50,000 by 50,000 pixels (2.5 billion)."""

    def chunk(kind, body):
        return (
            len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
        )

    header = (50_000).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    rows = zlib.compress(b"\x00" * 50_001 * 4, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "PNG, JPEG, WebP, GIF",
        ),
        ("x.png", b"<html><script>alert(1)</script></html>", "이미지로 읽을 수 없는"),
        ("bomb.png", decompression_bomb(), "픽셀 수가 너무 많습니다"),
        ("truncated.png", picture(size=(400, 300))[:200], "이미지로 읽을 수 없는"),
    ],
    ids=["svg", "html-named-png", "decompression-bomb", "truncated"],
)
def test_refused_files_get_a_korean_reason_and_nothing_is_stored(
    editor_client, media, name, data, reason
):
    response = upload(editor_client, name, data)
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert "image_code" not in response.json()
    assert stored_files(media) == []


def test_a_60_mb_file_is_refused(editor_client, media):
    response = upload(editor_client, "big.png", b"\x89PNG" + b"\0" * (60 * 1024 * 1024))
    assert response.status_code == 413
    assert "5MB 이하" in response.json()["error"]
    assert stored_files(media) == []


class BodyThatMustNotBeRead(io.RawIOBase):
    """A request body of which reading more than a few bytes fails the test."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.read_bytes += len(buffer)
        raise AssertionError("the body was read")


def test_a_body_over_the_limit_is_refused_before_it_is_read(editor, media):
    body = BodyThatMustNotBeRead()
    request = RequestFactory().post(
        "/markdownx/upload/",
        content_type="multipart/form-data; boundary=x",
        data=b"",
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    request.META["wsgi.input"] = body
    request._stream = body
    request.user = editor
    response = editor_views.image_upload(request)
    assert response.status_code == 413
    assert body.read_bytes == 0
    assert stored_files(media) == []


def test_a_post_without_the_csrf_token_stores_nothing(client, editor, media):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    response = upload(strict, "x.png", picture())
    assert response.status_code == 403
    assert stored_files(media) == []


def test_only_pictures_this_site_stored_are_shown():
    html = render_markdown(
        "![남의 그림](https://tracker.example/p.png) "
        '<img src="https://tracker.example/p.png"> <img src="/media/uploads/../../etc/passwd">'
    )
    assert "tracker.example" not in html and "passwd" not in html
    assert "남의 그림" in html


def test_an_unknown_or_crafted_media_name_is_not_found(client, media):
    (media / "secret.txt").write_text("x")
    for name in ("secret.txt", "uploads/../secret.txt", "uploads/nothing-1x1.png"):
        assert client.get(f"/media/{name}").status_code == 404
