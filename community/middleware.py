from django.conf import settings

from community import views

# Far above anything the site's own links produce (a cursor, a page of filters).
MAX_QUERY_STRING_LENGTH = 1024


class RejectBadAddressMiddleware:
    """
    Answer an address that no page can use with a 400 that says why, before any
    view runs: an absurdly long query string, or a NUL character, which
    PostgreSQL cannot hold in text and would fail any query it reached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(query) > MAX_QUERY_STRING_LENGTH:
            return views.bad_request(request, "주소의 검색 조건이 너무 깁니다.")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return views.bad_request(request, "주소에 쓸 수 없는 문자(NUL)가 들어 있습니다.")
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """The security headers Django has no setting for, on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class RejectOversizedBodyMiddleware:
    """
    Refuse a request whose declared body is larger than any form of the site
    sends (DATA_UPLOAD_MAX_MEMORY_SIZE) with a 413, before anything reads it.
    Django limits form fields read into memory, but not files, which it would
    write to a temporary file first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == settings.MARKDOWNX_UPLOAD_URLS_PATH:
            # Pictures may be larger, and the editor shows the upload view's
            # own refusal, made before it reads (community/editor_views.py).
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return views.bad_request(
                request, "요청 본문의 길이(Content-Length)가 올바르지 않습니다."
            )
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
            return views.bad_request(
                request,
                f"요청 본문이 너무 큽니다. {limit_mb:.1f}MB까지 보낼 수 있습니다.",
                status=413,
            )
        return self.get_response(request)
