"""
The sitemaps: /sitemap.xml is an index of sections, and the posts' section has
a page per range of ids, so that every published post is listed however many
there are, and a crawler can read page 200 as cheaply as page 1.
"""

from math import ceil

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property

from community.models import Post


class IdRangePaginator(Paginator):
    """
    Page n holds the items with ids in ((n - 1) * per_page, n * per_page].

    Django's Paginator counts every item and reads page n with an OFFSET: at a
    million posts page 200 took 0.6 s, all of it skipping rows. A range of ids
    is one index scan, and a page keeps its posts as new ones are published.
    A page may hold fewer than per_page items (drafts, deleted posts), or
    none; the index still lists it, since finding the empty ranges would
    read every id.
    """

    @cached_property
    def num_pages(self):
        last = self.object_list.aggregate(last=Max("pk"))["last"] or 0
        return max(1, ceil(last / self.per_page))

    def page(self, number):
        number = self.validate_number(number)
        above = (number - 1) * self.per_page
        items = self.object_list.filter(pk__gt=above, pk__lte=above + self.per_page)
        return self._get_page(items.order_by("pk"), number, self)


class PostSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Post.objects.published().only("slug", "updated_at")

    @property
    def paginator(self):
        return IdRangePaginator(self.items(), self.limit)

    def lastmod(self, post):
        return post.updated_at

    def get_latest_lastmod(self):
        # Sitemap's own would call lastmod() on every published post, for the
        # index only; each page of the section still carries its lastmods.
        return None


class StaticPageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["community:home", "community:post_list", "guide:guide"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"posts": PostSitemap, "pages": StaticPageSitemap}
