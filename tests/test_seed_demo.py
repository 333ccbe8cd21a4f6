from django.core.management import call_command

from community.markdown import render_markdown
from community.models import Answer, Post
from tests.test_public_pages import DETAIL_QUERIES, LIST_QUERIES


def test_seed_demo_inserts_rendered_posts_with_answers_and_tags(
    seeded, client, django_assert_num_queries, django_assert_max_num_queries
):
    before = Post.objects.count()
    call_command("seed_demo", posts=120, batch=50, verbosity=0)
    demo = Post.objects.filter(slug__startswith="demo-")
    assert demo.count() == 120 == Post.objects.count() - before
    for post in demo[:40]:
        assert post.body_html == render_markdown(post.body)
        assert "<table>" in post.body_html and "<pre><code" in post.body_html
        assert 1_000 < len(post.body.encode()) < 8_000
        as_saved = Post(body=post.body)
        as_saved.refresh_rendered_fields()
        assert (post.excerpt, post.search_text) == (as_saved.excerpt, as_saved.search_text)
    assert Answer.objects.filter(post__in=demo, is_accepted=True).count() == 120
    for answer in Answer.objects.filter(post__in=demo)[:20]:
        as_saved = Answer(body=answer.body)
        as_saved.refresh_rendered_fields()
        assert (answer.body_html, answer.search_text) == (as_saved.body_html, as_saved.search_text)
    assert all(post.tags.count() == 2 for post in demo[:10])

    # The pages read the demo content with the same query budget.
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get("/community/").status_code == 200
    # At most the full budget: prefetches of relations a post lacks are skipped.
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(demo.first().get_absolute_url()).status_code == 200


def test_seed_demo_needs_the_reference_data(db):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"manage\.py seed"):
        call_command("seed_demo", posts=1, verbosity=0)


def test_seed_demo_adds_to_an_earlier_run(seeded):
    # The benchmark fills its database in more than one run when one is cut short.
    call_command("seed_demo", posts=30, batch=10, verbosity=0)
    call_command("seed_demo", posts=30, batch=10, verbosity=0)
    assert Post.objects.filter(slug__startswith="demo-").count() == 60
