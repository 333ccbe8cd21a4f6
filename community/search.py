"""
Search on the community list: title, body and published answers, Korean
substrings included.

Results come in four phases, each newest first: posts whose title matches,
then posts whose body matches, then posts where a published answer matches,
then posts that present a matching reference record (a format, hardware tier
or scenario: the format chart and the scenario guide are such posts).

Each phase is one simple condition, so PostgreSQL can answer it from a trigram
index (a rare term) or by walking the list's own index (a common one), and a
page never has to rank every match. PostgreSQL cannot estimate how common a
substring is, so `fetch_newest` tries the index under a time budget and falls
back to the walk (see docs/performance.md). The cursor says which phase
a page continues, so deep pages stay cheap and their URLs stable.
"""

import re
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from community.models import Answer, FormatProfile, HardwareTier, Post, Scenario
from community.models.post import list_prefetches
from community.pagination import Cursor, InvalidCursor, keyset_before

PHASES = ("title", "body", "answer", "reference")
# How long the trigram index may take before the matches count as common and
# the newest-first walk is used instead.
INDEX_BUDGET_MS = 10
MAX_QUERY_LENGTH = 100
SNIPPET_CHARS = 60


# The text fields of each kind of reference record that a search looks in.
REFERENCE_FIELDS = {
    FormatProfile: ["name", "role", "features", "hardware", "tip"],
    HardwareTier: ["name", "example", "recommendation", "memory_estimate", "rationale"],
    Scenario: [
        "label",
        "situation",
        "summary_label",
        "core_goal",
        "os",
        "os_note",
        "run_method",
        "run_method_why",
        "hardware",
        "caveat",
    ],
}
PRESENTED_BY = {FormatProfile: "formats", HardwareTier: "hardware_tiers", Scenario: "scenarios"}


def matching_references(text):
    """{relation through-model: ids of matching records} for records any post may present."""
    found = {}
    for model, fields in REFERENCE_FIELDS.items():
        ids = list(model.objects.filter(_any_contains(fields, text)).values_list("pk", flat=True))
        if ids:
            found[model] = ids
    return found


def presents(references, *, driven_by_links=False):
    """Posts presenting any of `references` (see `matching_references`)."""
    condition = Q()
    for model, ids in references.items():
        relation = getattr(Post, PRESENTED_BY[model]).through
        target = relation._meta.get_field(model._meta.model_name).attname
        links = relation.objects.filter(**{f"{target}__in": ids})
        if driven_by_links:
            # Start from the few link rows, not from every post.
            condition |= Q(pk__in=links.values("post_id"))
        else:
            condition |= Exists(links.filter(post=OuterRef("pk")))
    return condition


def _any_contains(fields, text):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return condition


def phase_queryset(queryset, phase, text, references=None, *, driven_by_links=False):
    title = Q(title__icontains=text)
    body = Q(body__icontains=text)
    in_answer = Exists(Answer.objects.public().filter(post=OuterRef("pk"), body__icontains=text))
    if phase == "title":
        return queryset.filter(title)
    if phase == "body":
        return queryset.filter(body).exclude(title)
    if phase == "answer":
        return queryset.filter(in_answer).exclude(title).exclude(body)
    if references is None:
        references = matching_references(text)
    if not references:
        return queryset.none()
    matching = presents(references, driven_by_links=driven_by_links)
    return queryset.filter(matching).exclude(title).exclude(body).exclude(in_answer)


def fetch_newest(walk, indexed, limit):
    """
    The newest `limit` rows of a phase. On PostgreSQL, ask the way the planner
    prefers (the trigram index: fast when matches are rare) within
    INDEX_BUDGET_MS; if that runs out, the matches are common, and walking the
    list's index newest first finds them at once. Elsewhere, one plain query.
    """
    walk = walk.order_by("-published_at", "-pk")[:limit]
    indexed = indexed.order_by("-published_at", "-pk")[:limit]
    if connection.vendor != "postgresql":
        return list(walk)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(INDEX_BUDGET_MS)}")
            rows = list(indexed)
            # SET LOCAL outlives a released savepoint: restore it for the rest of
            # an enclosing transaction. (A cancelled query rolls it back.)
            cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
        return rows
    except OperationalError:
        pass
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        rows = list(walk)
        cursor.execute("SET LOCAL enable_bitmapscan TO DEFAULT")
    return rows


@dataclass(frozen=True)
class SearchCursor:
    phase: int
    position: Cursor | None

    @classmethod
    def parse(cls, raw: str) -> "SearchCursor":
        """`<phase>.<cursor>`, or `<phase>.` for the start of a phase."""
        phase, _, position = raw.partition(".")
        if not phase.isdigit() or int(phase) >= len(PHASES):
            raise InvalidCursor("페이지 위치(cursor) 값이 올바르지 않습니다.")
        return cls(int(phase), Cursor.parse(position) if position else None)

    def __str__(self):
        return f"{self.phase}.{self.position or ''}"


@dataclass
class SearchPage:
    items: list
    more: SearchCursor | None


def search_page(queryset, text, *, cursor=None, size):
    """One page of posts matching `text`, title matches first; see the module docstring."""
    page = _collect(queryset.prefetch_related(None), text, cursor, size)
    # Once for the whole page, not once per phase.
    prefetch_related_objects(page.items, *list_prefetches())
    for post in page.items:
        post.title_html = highlight(post.title, text)
        post.snippet_html = snippet(post, text)
        post.found_in_answers = post.matched_in == "answer"
    return page


def _collect(queryset, text, cursor, size):
    items = []
    references = None
    start = cursor.phase if cursor else 0
    position = cursor.position if cursor else None
    for index in range(start, len(PHASES)):
        phase = PHASES[index]
        if phase == "reference":
            references = matching_references(text)
            if not references:
                break
        walk = phase_queryset(queryset, phase, text, references)
        indexed = phase_queryset(queryset, phase, text, references, driven_by_links=True)
        if position is not None:
            walk, indexed = keyset_before(walk, position), keyset_before(indexed, position)
        position = None
        need = size - len(items)
        rows = fetch_newest(walk, indexed, need + 1)
        if need == 0:
            return SearchPage(items, SearchCursor(index, None) if rows else None)
        for row in rows[:need]:
            row.matched_in = PHASES[index]
        items += rows[:need]
        if len(rows) > need:
            return SearchPage(items, SearchCursor(index, Cursor.of(items[-1])))
    return SearchPage(items, None)


def clean_query(raw: str) -> str:
    """The search text as typed, with runs of white space folded and its length capped."""
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def highlight(text: str, term: str):
    """`text` escaped, with each case-insensitive occurrence of `term` in <mark>."""
    if not term:
        return escape(text)
    parts = re.split(f"({re.escape(term)})", text, flags=re.IGNORECASE)
    return mark_safe(  # noqa: S308 - every part is escaped by format_html or escape
        "".join(
            format_html("<mark>{}</mark>", part) if i % 2 else escape(part)
            for i, part in enumerate(parts)
        )
    )


def snippet(post, term: str):
    """The sentence around the first match in the post's text, highlighted."""
    text = " ".join(strip_tags(post.body_html).split())
    found = text.lower().find(term.lower())
    if found < 0:
        return highlight(post.excerpt, term)
    start = max(0, found - SNIPPET_CHARS)
    end = found + len(term) + SNIPPET_CHARS
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(Truncator(piece).chars(2 * SNIPPET_CHARS + len(term) + 2), term)
