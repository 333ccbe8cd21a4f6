"""
PostgreSQL's plans for the list and search queries, as the views build them.

    DATABASE_URL=postgres://... .venv/bin/python bench/explain.py

Prints EXPLAIN (ANALYZE, BUFFERS) for: the first list page, a deep list page
(page 50,000 by cursor), and each phase of a search; docs/performance.md quotes
its output at 1M posts.
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

SIZE = settings.COMMUNITY_PAGE_SIZE


def show(title, queryset):
    print(f"\n### {title}\n")
    print(queryset.explain(analyze=True, buffers=True))


def main(term="양자화"):
    posts = Post.objects.published().for_list()
    show("List, page 1", posts.newest_first()[: SIZE + 1])
    deep = Post.objects.published().newest_first().only("published_at")[50_000 * SIZE - 1]
    show(
        "List, page 50,000 (cursor)",
        keyset_before(posts, Cursor.of(deep)).newest_first()[: SIZE + 1],
    )
    for phase in search.PHASES:
        matches = search.phase_queryset(Post.objects.published().for_search(), phase, term)
        show(f"Search {term!r}, phase {phase}", matches.newest_first()[: SIZE + 1])


if __name__ == "__main__":
    main(*sys.argv[1:])
