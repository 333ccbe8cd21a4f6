from django.conf import settings


def signed_in(request):
    """`signed_in`: the member (or editor) signed in, else None, for the site's menu.

    A request without a session cookie never reads the session here, so a page
    rendered for the shared cache does not vary by cookie (pagecache/pages.py).
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"signed_in": None}
    # Pages answered before the authentication middleware runs (a 400 for a
    # bad address) have no user.
    user = getattr(request, "user", None)
    return {"signed_in": user if user is not None and user.is_authenticated else None}
