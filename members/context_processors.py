from django.conf import settings


def signed_in(request):
    """`signed_in`: the member (or editor) signed in, else None, for the site's menu.

    A request without a session cookie never reads the session here, so a page
    rendered for the shared cache does not vary by cookie (community/caching.py).
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"signed_in": None}
    user = request.user
    return {"signed_in": user if user.is_authenticated else None}
