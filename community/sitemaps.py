from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from community.models import Post


class PostSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Post.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, post):
        return post.updated_at


class StaticPageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["community:home", "community:post_list", "community:guide"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"posts": PostSitemap, "pages": StaticPageSitemap}
