"""
The endpoints behind the admin's Markdown editor (django-markdownx): the live
preview and picture upload. Only active staff reach them.
"""

from functools import wraps
from pathlib import PurePosixPath

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from community.images import ImageRefused, store_image
from community.markdown import render_markdown

MAX_PREVIEW_LENGTH = 200_000
# The multipart envelope around the file: boundaries, headers, the CSRF token.
MULTIPART_ALLOWANCE = 16 * 1024


def staff_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            return JsonResponse({"error": "편집자만 사용할 수 있습니다."}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@staff_only
def markdown_preview(request):
    return preview_response(request)


def preview_response(request):
    """A live preview of the POSTed `content`: the same rendering and sanitizing
    as published HTML, or a 400 that says what is wrong with the request."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("content 값이 필요합니다.")
    if len(content) > MAX_PREVIEW_LENGTH:
        return HttpResponseBadRequest("미리보기에는 너무 긴 글입니다.")
    return HttpResponse(render_markdown(content))


# The CSRF check reads the form, so the whole body, before any view code runs:
# it is made here instead, after a body that says it is too large is refused.
@csrf_exempt
@require_POST
@staff_only
def image_upload(request):
    """A picture dropped into the editor: {"image_code": Markdown} or {"error": why}."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return JsonResponse({"error": "요청 크기를 읽을 수 없습니다."}, status=400)
    if declared > settings.IMAGE_UPLOAD_MAX_BYTES + MULTIPART_ALLOWANCE:
        limit = settings.IMAGE_UPLOAD_MAX_BYTES // (1024 * 1024)
        return JsonResponse(
            {"error": f"이미지가 너무 큽니다. {limit}MB 이하만 올릴 수 있습니다."}, status=413
        )
    return _store_upload(request)


@csrf_protect
def _store_upload(request):
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "올릴 이미지 파일이 없습니다."}, status=400)
    try:
        image = store_image(upload)
    except ImageRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse({"image_code": image.markdown(alt=_alt_text(upload.name))})


def _alt_text(filename):
    # The file's own name is a first description the editor can then improve.
    stem = PurePosixPath(filename or "").stem
    return "".join(c for c in stem if c not in "[]()\\`*_!<>").strip() or "이미지"
