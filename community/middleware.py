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
