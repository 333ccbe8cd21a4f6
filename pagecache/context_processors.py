from django.conf import settings

from pagecache.models import ContentVersion


def fragments(request):
    """
    What a template's `{% cache %}` of markup that every reader shares is keyed by
    and kept for: `{% cache fragment_seconds name ... content_version %}`. The
    version is read only when a template asks for it (the callable is called
    then), once per request.
    """
    return {
        "content_version": ContentVersion.current,
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
    }
