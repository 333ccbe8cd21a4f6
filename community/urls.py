from django.urls import path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from community import feeds, views
from pagecache.pages import cached_page

app_name = "community"
urlpatterns = [
    path("", views.home, name="home"),
    path("community/", views.post_list, name="post_list"),
    # Before the posts' own addresses: "feed" is a reserved slug (Post.Meta).
    path("community/feed/", require_safe(cached_page(feeds.NewestPostsFeed())), name="feed"),
    path(
        "community/feed/<str:kind>/",
        require_safe(cached_page(feeds.KindFeed())),
        name="kind_feed",
    ),
    path(
        "community/tags/<str:slug>/feed/",
        require_safe(cached_page(feeds.TagFeed())),
        name="tag_feed",
    ),
    # Where readers and feed readers look for a site's feed first.
    path("feed/", RedirectView.as_view(pattern_name="community:feed", permanent=True)),
    path("rss/", RedirectView.as_view(pattern_name="community:feed", permanent=True)),
    path("community/tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("community/<str:slug>/", views.post_detail, name="post_detail"),
    path("community/<str:slug>/modal/", views.post_modal, name="post_modal"),
    path("community/<str:slug>/history/", views.post_history, name="post_history"),
    path("healthz", views.healthz, name="healthz"),
]
