from django.core.exceptions import DisallowedHost


def site_origin(request):
    """The site's own origin for absolute links (share cards), or "" on the 400 page
    that answers a Host header this site does not serve: that name is never echoed."""
    try:
        return {"site_origin": f"{request.scheme}://{request.get_host()}"}
    except DisallowedHost:
        return {"site_origin": ""}
