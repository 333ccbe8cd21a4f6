"""
PostgreSQL's plans for the list and search queries, as the views build them.

    DATABASE_URL=postgres://... .venv/bin/python bench/explain.py

Prints EXPLAIN (ANALYZE, BUFFERS) for: the first list page, a deep list page
(page 50,000 by cursor), a post page's related posts, and each phase of a search both ways that
community.search may run it (through the trigram index, and walking one window
of the list); docs/performance.md quotes its output at 1M posts. Give a search
term as the first argument. Beware: the trigram plan of a common term takes
seconds (that is why the search samples first).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ainex.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from community import search  # noqa: E402
from community.models import Post  # noqa: E402
from community.pagination import Cursor, keyset_before  # noqa: E402
from community.postgres import local_settings  # noqa: E402

SIZE = settings.COMMUNITY_PAGE_SIZE


def show(title, queryset):
    print(f"\n### {title}\n")
    print(queryset.explain(analyze=True, buffers=True))


def main(term="양자화"):
    posts = Post.objects.published().for_list()
    show("List, page 1", posts.newest_first()[: SIZE + 1])
    # The last post of page 49,999 is the cursor of page 50,000.
    deep = Post.objects.published().newest_first().only("published_at")[49_999 * SIZE - 1]
    show(
        "List, page 50,000 (cursor)",
        keyset_before(posts, Cursor.of(deep)).newest_first()[: SIZE + 1],
    )
    # A post page's related posts, one query per kind of link (Post.objects.newest_related_to).
    post = Post.objects.published().for_detail().newest_first()[100]
    related = Post.objects.published().only("title", "slug", "kind", "published_at")
    for links in ("tags", "formats"):
        show(f"Related posts, sharing {links}", related.sharing(links, post).newest_first()[:5])
    posts = Post.objects.published().for_search()
    # The search takes a query's variants (search.search_variants); here the term alone.
    terms = (term,)
    references = search.matching_references(terms)
    for phase in search.PHASES:
        if phase == "reference" and not references:
            print(f"\n### Search {term!r}, phase {phase}: no reference record matches; skipped")
            continue
        selective = search.index_is_selective(phase, terms, references)
        print(f"\n### Search {term!r}, phase {phase}: index_is_selective = {selective}")
        indexed = search.phase_queryset(posts, phase, terms, references, driven_by_links=True)
        with local_settings(**search.THROUGH_TRIGRAM_INDEXES):
            show(
                f"Search {term!r}, phase {phase}: through the trigram index",
                indexed.newest_first()[: SIZE + 1],
            )
        walk = search.phase_queryset(posts, phase, terms, references)
        window = search.scan_window(posts, walk, None)
        with local_settings(**search.WALKING_THE_LIST_INDEX):
            show(
                f"Search {term!r}, phase {phase}: walking the first window of the list",
                window.newest_first()[: SIZE + 1],
            )


if __name__ == "__main__":
    main(*sys.argv[1:])
