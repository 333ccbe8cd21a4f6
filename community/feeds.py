"""
Atom feeds of the newest published posts: all of them, one kind's and one
tag's. An entry carries the question and its accepted answer, which is the
correction where a wrong answer was replaced; wrong answers, drafts and posts
scheduled for later are never in a feed.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from community.models import Post, Tag

FEED_ENTRIES = 20


class AtomWithContent(Atom1Feed):
    """Atom whose entries also hold the full text, as <content type="html">."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class NewestPostsFeed(Feed):
    feed_type = AtomWithContent
    title = "AiNex 최신 글"
    subtitle = "AI 실무자 커뮤니티 AiNex의 새 질문, 토론, 정보 글과 검증된 답변"

    def link(self, obj):
        return reverse("community:post_list")

    def posts(self, obj):
        return Post.objects.published()

    def items(self, obj):
        return self.posts(obj).for_feed().newest_first()[:FEED_ENTRIES]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        return post.excerpt

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return post.author_name or None

    def item_categories(self, post):
        return [tag.name for tag in post.listed_tags]

    def item_extra_kwargs(self, post):
        return {"content": render_to_string("community/feed_entry.html", {"post": post})}


class KindFeed(NewestPostsFeed):
    def get_object(self, request, kind):
        if kind not in Post.Kind.values:
            raise Http404("알 수 없는 글 종류입니다.")
        return Post.Kind(kind)

    def title(self, kind):
        return f"AiNex 최신 {kind.label} 글"

    def link(self, kind):
        return reverse("community:post_list") + f"?kind={kind.value}"

    def posts(self, kind):
        return Post.objects.published().of_kind(kind)


class TagFeed(NewestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"AiNex #{tag.name}"

    def link(self, tag):
        return tag.get_absolute_url()

    def posts(self, tag):
        return Post.objects.published().tagged(tag)
