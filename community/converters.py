"""Path converters for the site's URLs."""

from django.core.validators import slug_unicode_re


class UnicodeSlugConverter:
    """
    A slug as `SlugField(allow_unicode=True)` accepts it: Korean titles make Korean
    slugs, which Django's own `slug` converter (ASCII only) would not match. Any
    other path is a 404 before a query runs (PostgreSQL rejects a NUL in text).
    """

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def is_unicode_slug(value):
    return slug_unicode_re.fullmatch(value) is not None
