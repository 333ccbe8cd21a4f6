from django.conf import settings

from pagecache.models import ContentVersion

# Where markup that is not kept goes: Django's dummy cache. `{% cache 0 %}` in
# the default cache would still cost a get and a delete, round trips to Redis
# that store nothing, on every search page and every editor's preview.
UNKEPT = "unkept"


def kept_in(seconds, cache="default"):
    """The cache that `{% cache seconds ... using=... %}` keeps markup in:
    `cache`, or none when `seconds` is 0."""
    return cache if seconds else UNKEPT


def fragments(request):
    """
    What a template's `{% cache %}` of markup that every reader shares is keyed
    by, kept for and kept in:
    `{% cache fragment_seconds name ... content_version using=fragment_cache %}`.
    The version is read only when a template asks for it (the callable is called
    then), once per request.
    """
    return {
        "content_version": ContentVersion.current,
        "fragment_seconds": settings.FRAGMENT_CACHE_SECONDS,
        "fragment_cache": kept_in(settings.FRAGMENT_CACHE_SECONDS),
    }
