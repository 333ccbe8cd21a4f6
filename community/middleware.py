from community import views

# Far above anything the site's own links produce (a cursor, a page of filters).
MAX_QUERY_STRING_LENGTH = 1024


class RejectOverlongQueryStringMiddleware:
    """Answer an absurdly long query string with a 400 that says why, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING_LENGTH:
            return views.bad_request(request, "주소의 검색 조건이 너무 깁니다.")
        return self.get_response(request)
