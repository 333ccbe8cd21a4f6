"""
Pictures in posts and answers: checked, cleaned and stored once, when an
editor drops one into the Markdown editor.

A file is accepted only if Pillow decodes it whole as PNG, JPEG, WebP or GIF
within the size and pixel limits. It is then encoded again from its pixels, so
what is stored carries no metadata (camera, location) and nothing that rode
along with the picture (a script appended to a PNG, an HTML "polyglot").
Files are kept through Django's storage API (settings.STORAGES["default"]),
named by their content and size: `uploads/<hash>-<width>x<height>.<ext>`. The
name is all that rendering needs to give an <img> its width and height.
"""

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow's format name, and what the stored file is called and served as.
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
CONTENT_TYPES = {extension: content_type for extension, content_type in FORMATS.values()}
STORED_NAME = re.compile(
    r"uploads/[0-9a-f]{32}-(?P<width>\d+)x(?P<height>\d+)\.(?:png|jpg|webp|gif)"
)
ACCEPTED = "PNG, JPEG, WebP, GIF 이미지만 올릴 수 있습니다."


class ImageRefused(Exception):
    """The file is not a picture this site stores; the message says why, in Korean."""


@dataclass(frozen=True)
class StoredImage:
    name: str
    width: int
    height: int

    @property
    def url(self):
        return default_storage.url(self.name)

    def markdown(self, alt):
        return f"![{alt}]({self.url})"


def store_image(upload) -> StoredImage:
    """Check, clean and store an uploaded file; ImageRefused if it is not a picture we take."""
    if upload.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ImageRefused(f"이미지가 너무 큽니다. {_megabytes()}MB 이하만 올릴 수 있습니다.")
    picture, kind = _decoded(upload)
    data = _encoded_again(picture, kind)
    extension, _content_type = FORMATS[kind]
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    name = f"uploads/{digest}-{picture.width}x{picture.height}.{extension}"
    if not default_storage.exists(name):  # the same picture twice is one file
        name = default_storage.save(name, ContentFile(data))
    return StoredImage(name, picture.width, picture.height)


def size_from_url(url):
    """(width, height) of a stored picture from its address, or None for any other address."""
    prefix = default_storage.url("")
    if not url.startswith(prefix):
        return None
    match = STORED_NAME.fullmatch(url.removeprefix(prefix))
    return (int(match["width"]), int(match["height"])) if match else None


def _decoded(upload):
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; both are refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(upload, formats=list(FORMATS))
            # Every frame of an animation is decoded when it is encoded again.
            frames = getattr(picture, "n_frames", 1)
            if picture.width * picture.height * frames > settings.IMAGE_UPLOAD_MAX_PIXELS:
                raise ImageRefused(_too_many_pixels())
            picture.load()  # decodes every byte of the first frame
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused(_too_many_pixels()) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRefused(f"이미지로 읽을 수 없는 파일입니다. {ACCEPTED}") from error
    return picture, picture.format


def _encoded_again(picture, kind):
    """The picture's pixels, written anew with no metadata."""
    # The iterator moves one image from frame to frame: each is copied as it passes.
    frames = [f.copy() for f in ImageSequence.Iterator(picture)] if kind == "GIF" else [picture]
    clean = [_pixels_only(frame) for frame in frames]
    options = {}
    if "transparency" in picture.info and kind in ("PNG", "GIF"):
        options["transparency"] = picture.info["transparency"]
    if len(clean) > 1:
        options.update(
            save_all=True,
            append_images=clean[1:],
            duration=[frame.info.get("duration", 100) for frame in frames],
            loop=picture.info.get("loop", 0),
        )
    out = io.BytesIO()
    first = clean[0]
    if kind == "JPEG" and first.mode not in ("RGB", "L"):
        first = first.convert("RGB")
    first.save(out, format=kind, **options)
    return out.getvalue()


def _pixels_only(frame):
    # A camera's rotation lives in EXIF, which is left behind: applied to the pixels first.
    frame = ImageOps.exif_transpose(frame)
    clean = Image.frombytes(frame.mode, frame.size, frame.tobytes())
    if frame.mode in ("P", "PA"):
        clean.putpalette(frame.getpalette())
    return clean


def _megabytes():
    return settings.IMAGE_UPLOAD_MAX_BYTES // (1024 * 1024)


def _too_many_pixels():
    return (
        f"이미지의 픽셀 수가 너무 많습니다. {settings.IMAGE_UPLOAD_MAX_PIXELS:,}픽셀 "
        "이하로 줄여서 올려 주세요."
    )
