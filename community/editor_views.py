"""
The endpoints behind the admin's Markdown editor (django-markdownx).

Only staff reach them. Image upload is switched off: posts are text and
tables, production serves no user media, and markdownx would keep the
uploader's file extension. The endpoint stays routed so the editor's
drag-and-drop gets a clear refusal instead of a missing page.
"""

from functools import wraps

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from community.markdown import render_markdown

MAX_PREVIEW_LENGTH = 200_000


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
    """The live preview: the same rendering and sanitizing as published HTML."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("content 값이 필요합니다.")
    if len(content) > MAX_PREVIEW_LENGTH:
        return HttpResponseBadRequest("미리보기에는 너무 긴 글입니다.")
    return HttpResponse(render_markdown(content))


@require_POST
@staff_only
def image_upload(request):
    return JsonResponse(
        {"image": "이미지 업로드는 꺼져 있습니다. 이미지는 글에 싣지 않습니다."}, status=403
    )
