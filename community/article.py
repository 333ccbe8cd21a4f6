"""
A post's article: what its page and the list's dialog both show
(`community/post_detail.html#post_article`), rendered once per content version.

The article is the same for every reader, signed in or not, so its markup is
kept as a template fragment (`{% cache %}`) keyed by the post and the content
version (pagecache/context_processors.py): a save anywhere moves the version,
and the next request renders afresh. That is what makes the page cheap where
the page cache cannot serve it: a signed-in member's requests, and the page
cache turned off. With the fragment there, a request runs one query, for the
post's own row; only a miss loads the answers, links and related posts. An
editor's preview of a post readers cannot see yet is never kept.
"""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property

from community.models import Post
from community.models.post import detail_prefetches
from pagecache.context_processors import kept_in

RELATED_COUNT = 5


class PostArticle:
    """The article of `post` (its row alone loaded), for the template's fragment."""

    def __init__(self, post):
        self._post = post
        # An editor's preview of a draft or a scheduled post.
        self.is_preview = not post.is_live
        self.seconds = 0 if self.is_preview else settings.FRAGMENT_CACHE_SECONDS
        self.cache = kept_in(self.seconds)

    @cached_property
    def post(self):
        """The post with everything its article shows (read only when the fragment is missing)."""
        prefetch_related_objects([self._post], *detail_prefetches())
        return self._post

    @cached_property
    def related_posts(self):
        """The newest other posts sharing a tag or a format."""
        return (
            Post.objects.published()
            .only("title", "slug", "kind", "published_at")
            .newest_related_to(self.post, RELATED_COUNT)
        )
