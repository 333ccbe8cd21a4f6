"""
A post's article: what its page and the list's dialog both show
(`community/post_detail.html#post_article`), rendered once per content version.

The article is the same for every reader, signed in or not, so its markup is
kept as a template fragment (`{% cache %}`) keyed by the post and the content
version (pagecache/context_processors.py): a save anywhere moves the version,
and the next request renders afresh. That is what makes the page cheap where
the page cache cannot serve it: a signed-in member's requests, and the page
cache turned off. The post's own row, which the page's head and the
fragment's key need, is kept beside it (`post_to_open`): with both there, a
request reads only the content version, and only a miss loads the row, the
answers, links and related posts. An editor's preview of a post readers cannot
see yet is never kept.
"""

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from community.models import Post
from community.models.post import detail_prefetches
from pagecache.context_processors import kept_in
from pagecache.kept import kept_row

RELATED_COUNT = 5


def post_to_open(user, slug):
    """
    The post at `slug` that `user` may open (its row, without the texts only
    search reads), or a 404. A live post's row is the same for every reader
    until a save, so it is kept as the article is; a post that is not live (an
    editor's preview) is read every time, and leaves nothing a reader could be
    served.
    """
    return kept_row(
        "post",
        slug,
        lambda: get_object_or_404(
            Post.objects.visible_to(user).defer("body", "search_text"), slug=slug
        ),
        keep=lambda post: post.is_live,
    )


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
