"""
Search on the community list: title, body and published answers, Korean
substrings included. Bodies and answers are searched as readers see them
(`search_text`, their text without the Markdown), not as typed. A query is
searched as typed and as its synonyms write it (`Synonym`: 라마 → Llama), and
each hit says where it matched, highlighted.

Results come in four phases, each newest first: posts whose title matches,
then posts whose body matches, then posts where a published answer matches,
then posts that present a matching reference record (a format, hardware tier
or scenario: the format chart and the scenario guide are such posts).

Each phase is one simple condition, so PostgreSQL can answer it from a trigram
index (a rare term) or by walking the list's own index (a common one), and a
page never has to rank every match. PostgreSQL cannot estimate how common a
substring is, so `index_is_selective` tries the term on a sample first. A walk
reads the list in windows and stops at a budget, so that every page costs a
bounded time whatever the term (see docs/performance.md). The cursor says
which phase a page continues and where, so deep pages stay cheap and their
URLs stable.

What only an editor's save changes is kept per content version in the object
cache: the synonyms and the reference records' texts (`editorial_tables`), and
which plan each phase of a query takes (`PlanChoices`).
"""

import dataclasses
import functools
import hashlib
import html
import re
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from community.models import Answer, Post, Synonym
from community.models.post import list_prefetches
from community.models.synonym import variants
from community.pagination import Cursor, InvalidCursor, keyset_after, keyset_before
from guide.models import FormatProfile, HardwareTier, Scenario
from pagecache.models import ContentVersion

PHASES = ("title", "body", "answer", "reference")
# How long the trigram index may take before the newest-first walk is used
# instead (a safety net: index_is_selective decides first).
INDEX_BUDGET_MS = 50
# The share of the sampled rows (about 500 at a million) above which a
# term counts as common in a column (see index_is_selective).
SAMPLE_PERCENT = 0.05
COMMON_SHARE = 0.02
# Posts presenting one kind of matching reference record, at which it counts as common.
COMMON_LINKS = 10_000
# A walk reads the list in windows of this many posts, so that a term that is
# neither rare nor common (or too short for trigrams) costs a bounded time per
# page: after a window that leaves posts unread, once the page has read
# SCAN_WINDOWS_PER_PAGE such windows or spent SCAN_BUDGET_MS, it ends there and
# its `more` link scans on.
SCAN_WINDOW = 2_000
SCAN_WINDOWS_PER_PAGE = 8
SCAN_BUDGET_MS = 100
# Older than any post: the edge of a window that reaches the oldest one.
OLDEST = datetime.min.replace(tzinfo=UTC)
MAX_QUERY_LENGTH = 100
SNIPPET_CHARS = 60


# Where a search looks in each kind of reference record: its own text as
# readers see it (`searched_fields`), and the names of the software it recommends.
REFERENCE_FIELDS = {
    FormatProfile: ["search_text", "software__name", "format_software__label"],
    HardwareTier: ["search_text"],
    Scenario: ["search_text", "software__name"],
}
PRESENTED_BY = {FormatProfile: "formats", HardwareTier: "hardware_tiers", Scenario: "scenarios"}


def matching_references(terms, tables=None):
    """{reference model: ids of its records whose text contains one of `terms`}
    (from `tables`, the editorial_tables() of this request, if given)."""
    found = {}
    # As icontains matches: the text contains the term, case aside.
    upper = [term.upper() for term in terms]
    for model, records in (tables or editorial_tables())["references"].items():
        ids = [pk for pk, texts in records if any(t in text for t in upper for text in texts)]
        if ids:
            found[model] = ids
    return found


# How long the tables below stay in the cache; keyed by the content version,
# they are never read stale, so this only bounds the memory they hold.
EDITORIAL_SECONDS = 3600


def editorial_tables():
    """
    The synonyms, and what a search looks at in each reference record, from
    the cache: these are tiny tables that change only when an editor saves
    one, which bumps the content version that keys them. Reading them on
    every search cost a query each (four, for a search reaching the reference
    phase). Texts are kept in upper case, as icontains compares them.
    """
    key = f"search:editorial:{ContentVersion.current()}"
    tables = cache.get(key)
    if tables is None:
        synonyms = [
            (term.lower(), expansion)
            for term, expansion in Synonym.objects.values_list("term", "expansion")
        ]
        references = {}
        for model, fields in REFERENCE_FIELDS.items():
            texts = {}
            for field in fields:
                # A join to many rows gives each record once per row, or once
                # with None: every record is in each of these lists.
                for pk, text in model.objects.values_list("pk", field):
                    texts.setdefault(pk, [])
                    if text:
                        texts[pk].append(text.upper())
            references[model] = list(texts.items())
        tables = {"synonyms": synonyms, "references": references}
        cache.set(key, tables, EDITORIAL_SECONDS)
    return tables


def search_variants(text, tables=None):
    """`text` and its variants through the synonyms (see `community.models.synonym`)."""
    folded = {word.casefold() for word in text.split()}
    synonyms = (tables or editorial_tables())["synonyms"]
    return variants(text, [(term, expansion) for term, expansion in synonyms if term in folded])


def presenting(references):
    """For each kind of record in `references`, its link rows to the posts presenting them."""
    for model, ids in references.items():
        relation = getattr(Post, PRESENTED_BY[model]).through
        target = relation._meta.get_field(model._meta.model_name).attname
        yield relation.objects.filter(**{f"{target}__in": ids})


def presents(references, *, driven_by_links=False):
    """Posts presenting any of `references` (see `matching_references`)."""
    condition = Q()
    for links in presenting(references):
        if driven_by_links:
            # Start from the few link rows, not from every post.
            condition |= Q(pk__in=links.values("post_id"))
        else:
            condition |= Exists(links.filter(post=OuterRef("pk")))
    return condition


def _any_contains(fields, terms):
    condition = Q()
    for field in fields:
        for term in terms:
            condition |= Q(**{f"{field}__icontains": term})
    return condition


def phase_queryset(queryset, phase, terms, references=None, *, driven_by_links=False):
    # Each condition is built only for the phases that use it: building them
    # is a good part of what a search costs in Python.
    title = _any_contains(["title"], terms)
    if phase == "title":
        return queryset.filter(title)
    body = _any_contains(["search_text"], terms)
    if phase == "body":
        return queryset.filter(body).exclude(title)
    in_answer = Exists(
        Answer.objects.public().filter(_any_contains(["search_text"], terms), post=OuterRef("pk"))
    )
    if phase == "answer":
        return queryset.filter(in_answer).exclude(title).exclude(body)
    if references is None:
        references = matching_references(terms)
    if not references:
        return queryset.none()
    matching = presents(references, driven_by_links=driven_by_links)
    return queryset.filter(matching).exclude(title).exclude(body).exclude(in_answer)


# The column whose trigram index a phase's indexed plan starts from.
INDEXED_COLUMN = {
    "title": (Post, "title"),
    "body": (Post, "search_text"),
    "answer": (Answer, "search_text"),
}


def index_is_selective(phase, terms, references):
    """
    Whether the trigram index narrows `phase` down to few rows for `terms`.

    PostgreSQL keeps no statistics on substrings, and a GIN scan cannot stop
    early: for a term in most rows it builds a bitmap of them all (seconds at a
    million rows) before a time limit can cancel it. So the term is tried on a
    small random sample of the column first, and the index is used only when
    few sampled rows match. Terms with no word of three or more characters
    yield no trigram at all. A reference record counts as common when many
    posts present it. The variants of a query are sampled together.
    """
    if phase == "reference":
        return all(links[:COMMON_LINKS].count() < COMMON_LINKS for links in presenting(references))
    if any(max(map(len, re.findall(r"\w+", term)), default=0) < 3 for term in terms):
        return False
    model, field = INDEXED_COLUMN[phase]
    quote = connection.ops.quote_name
    column, table = quote(model._meta.get_field(field).column), quote(model._meta.db_table)
    like = " OR ".join([f"UPPER({column}::text) LIKE UPPER(%s)"] * len(terms))
    # The ORM has no TABLESAMPLE; the names are the model's own, quoted.
    sample = (
        f"SELECT count(*), count(*) FILTER (WHERE {like})"  # noqa: S608
        f" FROM {table} TABLESAMPLE SYSTEM (%s) REPEATABLE (0)"
    )
    patterns = [f"%{connection.ops.prep_for_like_query(term)}%" for term in terms]
    with connection.cursor() as cursor:
        cursor.execute(sample, [*patterns, SAMPLE_PERCENT])
        sampled, matched = cursor.fetchone()
    return matched <= max(1, sampled * COMMON_SHARE)


class PlanChoices:
    """
    Whether the trigram index narrows each phase down for these terms
    (`index_is_selective`), kept per content version: the sample reads the
    same rows until a save changes the posts or answers, so a query asked
    again (the next page, another reader) skips its 1 to 3 ms per phase.
    """

    def __init__(self, terms):
        digest = hashlib.sha256("\n".join(terms).encode()).hexdigest()
        self.key = f"search:selective:{ContentVersion.current()}:{digest}"
        self.known = cache.get(self.key, {})
        self.changed = False

    def index_is_selective(self, phase, terms, references, settings):
        if phase not in self.known:
            settings.reset()  # the sample runs with no plan's settings
            self.known[phase] = index_is_selective(phase, terms, references)
            self.changed = True
        return self.known[phase]

    def save(self):
        if self.changed:
            cache.set(self.key, self.known, EDITORIAL_SECONDS)


# The planner cannot estimate how common a substring is, so each plan is asked
# for: the trigram bitmaps rather than the list index, or the list index walked
# newest first rather than a bitmap of every match (it would build one,
# estimating few).
THROUGH_TRIGRAM_INDEXES = {"enable_indexscan": "off"}
WALKING_THE_LIST_INDEX = {"enable_bitmapscan": "off"}


class PlanSettings:
    """
    The settings of the plan the current phase runs (THROUGH_TRIGRAM_INDEXES or
    WALKING_THE_LIST_INDEX), changed only when a phase needs others and reset
    once at the end of the page (`reset`): phases that run the same plan share
    them, instead of a round trip to set and one to reset each. Only the plans'
    own statements run under them; a sample of the next phase resets them first.
    Inside a transaction (a test, an admin save) the caller runs the page in a
    savepoint, as `local_settings` does, and each indexed statement in its own.
    """

    def __init__(self):
        self.current = {}

    def use(self, settings):
        if connection.vendor != "postgresql" or settings == self.current:
            return
        # The names are this module's constants; the values are parameters.
        resets = "".join(f"RESET {name}; " for name in self.current if name not in settings)
        calls = ", ".join("set_config(%s, %s, false)" for _ in settings)
        params = [str(x) for item in settings.items() for x in item]
        with connection.cursor() as cursor:
            cursor.execute(f"{resets}SELECT {calls}" if settings else resets, params or None)
        self.current = dict(settings)

    def reset(self):
        self.use({})


def by_index(indexed, limit, settings):
    """
    The newest `limit` rows of a phase found through the trigram indexes, or None
    when that takes longer than INDEX_BUDGET_MS.
    """
    settings.use({"statement_timeout": INDEX_BUDGET_MS, **THROUGH_TRIGRAM_INDEXES})
    in_transaction = not connection.get_autocommit()
    try:
        # A statement out of time aborts a transaction; a savepoint contains it.
        with transaction.atomic() if in_transaction else nullcontext():
            return list(indexed.order_by("-published_at", "-pk")[:limit])
    except OperationalError:
        return None


def scan_window(posts, walk, position):
    """
    `walk` narrowed to the next SCAN_WINDOW posts of `posts` older than
    `position` (all of them, when fewer are left). Where the window ends is a
    subquery of the same statement: a window that fills the page costs one
    query, and only one that does not asks where it ended (`window_edges`).
    """
    edge = _newest(_older(posts, position))[SCAN_WINDOW : SCAN_WINDOW + 1]
    # With no post past the window, the edge is older than any post.
    published_at = Coalesce(Subquery(edge.values("published_at")), Value(OLDEST))
    pk = Coalesce(Subquery(edge.values("pk")), Value(0))
    # As keyset_after writes it: the first condition bounds the index range.
    return walk.filter(
        Q(published_at__gte=published_at) & (Q(published_at__gt=published_at) | Q(pk__gt=pk))
    )


def window_edges(posts, position):
    """
    The oldest post of the window after `position` (see scan_window), where the
    next scan continues, and the first post past it; None when the window
    reaches the oldest post.
    """
    edge = _newest(_older(posts, position)).values_list("published_at", "pk")
    rows = list(edge[SCAN_WINDOW - 1 : SCAN_WINDOW + 1])
    return tuple(Cursor(*row) for row in rows) if len(rows) == 2 else None


def _newest(queryset):
    return queryset.order_by("-published_at", "-pk")


@dataclass
class ScanBudget:
    """What one page may still spend on scanning the list (see SCAN_WINDOW)."""

    windows: int = dataclasses.field(default_factory=lambda: SCAN_WINDOWS_PER_PAGE)
    deadline: float = dataclasses.field(
        default_factory=lambda: time.monotonic() + SCAN_BUDGET_MS / 1000
    )

    def spend_window(self):
        """Count a window that left posts unread; False once the budget is spent."""
        self.windows -= 1
        return self.windows > 0 and time.monotonic() < self.deadline


def scan(posts, walk, position, limit, budget, settings):
    """
    The newest `limit` rows of `walk` older than `position`, read window by
    window. Returns them, the position the window holding the first of them
    started at, and where the scan stopped if the budget ran out first.
    """
    rows, resume, first = [], position, True
    settings.use(WALKING_THE_LIST_INDEX)
    while True:
        older = _older(walk, position)
        if first:
            # A common term fills the page in its first window: one query.
            window = scan_window(posts, older, position)
        else:
            # A window after one that left the page short is rarely the last:
            # its edges first, then a plainer query bounded by them.
            edges = window_edges(posts, position)
            window = keyset_after(older, edges[1]) if edges else older
        if not rows:
            resume = position
        rows += list(_newest(window)[: limit - len(rows)])
        if len(rows) >= limit:
            return rows, resume, None
        if first:
            edges, first = window_edges(posts, position), False
        if edges is None:
            return rows, resume, None
        position = edges[0]
        if not budget.spend_window():
            return rows, resume, position


@dataclass(frozen=True)
class SearchCursor:
    phase: int
    position: Cursor | None

    @classmethod
    def parse(cls, raw: str) -> "SearchCursor":
        """`<phase>.<cursor>`, or `<phase>.` for the start of a phase."""
        phase, _, position = raw.partition(".")
        # isdecimal, not isdigit: int() refuses digits such as "²".
        if not phase.isdecimal() or int(phase) >= len(PHASES):
            raise InvalidCursor("페이지 위치(cursor) 값이 올바르지 않습니다.")
        return cls(int(phase), Cursor.parse(position) if position else None)

    def __str__(self):
        return f"{self.phase}.{self.position or ''}"


@dataclass
class SearchPage:
    items: list
    more: SearchCursor | None
    # True when the page stopped at its scan budget, not because it was full:
    # `more` then continues the scan, and may find nothing further.
    cut_short: bool = False
    # The reference records that match, when the page reached their phase.
    references: dict = dataclasses.field(default_factory=dict)


def search_page(queryset, text, *, cursor=None, size):
    """One page of posts matching `text` or its synonyms, title matches first, each
    saying where it matched; see the module docstring."""
    tables = editorial_tables()
    terms = search_variants(text, tables)
    # Only PostgreSQL has the trigram indexes to choose.
    plans = PlanChoices(terms) if connection.vendor == "postgresql" else None
    page = _collect(queryset.prefetch_related(None), terms, cursor, size, plans, tables)
    if plans:
        plans.save()
    # Once for the whole page, not once per phase.
    prefetch_related_objects(page.items, *list_prefetches())
    _add_matches(page, terms)
    return page


def _collect(queryset, terms, cursor, size, plans, tables):
    settings = PlanSettings()
    # Other databases have no settings to reset (PlanSettings does nothing there).
    if connection.vendor != "postgresql" or connection.get_autocommit():
        try:
            return _phases(queryset, terms, cursor, size, plans, tables, settings)
        finally:
            settings.reset()
    # In a transaction, a savepoint: an error rolls it back, and the settings with it.
    with transaction.atomic():
        page = _phases(queryset, terms, cursor, size, plans, tables, settings)
        settings.reset()
        return page


def _phases(queryset, terms, cursor, size, plans, tables, settings):
    items = []
    budget = ScanBudget()
    start = cursor.phase if cursor else 0
    position = cursor.position if cursor else None
    references = None
    for index in range(start, len(PHASES)):
        phase = PHASES[index]
        if phase == "reference":
            references = matching_references(terms, tables)
            if not references:
                break
        need = size - len(items)
        rows, resume, stopped_at = None, position, None
        if plans and plans.index_is_selective(phase, terms, references, settings):
            indexed = phase_queryset(queryset, phase, terms, references, driven_by_links=True)
            rows = by_index(_older(indexed, position), need + 1, settings)
        if rows is None:
            walk = phase_queryset(queryset, phase, terms, references)
            rows, resume, stopped_at = scan(queryset, walk, position, need + 1, budget, settings)
        if len(rows) > need:
            # A full page: the next one resumes after its last row, or where
            # this phase's first row was found if the page was full before it.
            more = Cursor.of(rows[need - 1]) if need else resume
            items += _found_in(phase, rows[:need])
            return SearchPage(items, SearchCursor(index, more), references=references or {})
        items += _found_in(phase, rows)
        if stopped_at:
            cut_short = len(items) < size
            return SearchPage(items, SearchCursor(index, stopped_at), cut_short, references or {})
        position = None
    return SearchPage(items, None, references=references or {})


def _older(queryset, position):
    return keyset_before(queryset, position) if position else queryset


def _found_in(phase, rows):
    for row in rows:
        row.found_in = phase
    return rows


# What a hit says about where it matched, by phase.
FOUND_IN = {
    "title": "제목에서 찾음",
    "body": "본문에서 찾음",
    "answer": "답변에서 찾음",
    "reference": "참조 기록에서 찾음",
}


def _add_matches(page, terms):
    """
    Give each hit its highlighted title, where it matched (`found_in_html`)
    and a highlighted snippet of the text that matched: the body's, a public
    answer's, or the reference records' (the names of those the post presents).
    One query for the page's answer hits, and one per kind of record for its
    reference hits.
    """
    posts = page.items
    answers = _matching_answer_texts([p for p in posts if p.found_in == "answer"], terms)
    records = _presented([p for p in posts if p.found_in == "reference"], page.references)
    for post in posts:
        post.title_html = highlight(post.title, terms)
        label = FOUND_IN[post.found_in]
        if post.found_in == "answer":
            post.snippet_html = snippet(answers.get(post.pk, ""), post.excerpt, terms)
        elif post.found_in == "reference":
            names = records.get(post.pk, [])
            post.snippet_html = snippet(" · ".join(text for _, text in names), post.excerpt, terms)
            label = format_html("{}: {}", label, ", ".join(name for name, _ in names))
        else:
            post.snippet_html = snippet(post.search_text, post.excerpt, terms)
        post.found_in_html = label


def _matching_answer_texts(posts, terms):
    """{post id: the text of its newest public answer that matches}."""
    if not posts:
        return {}
    rows = (
        Answer.objects.public()
        .filter(_any_contains(["search_text"], terms), post__in=posts)
        .order_by("post", "-published_at")
        .values_list("post", "search_text")
    )
    texts = {}
    for post_id, text in rows:
        texts.setdefault(post_id, text)
    return texts


def _presented(posts, references):
    """{post id: [(record name, its text), ...]} of the `references` each post presents."""
    if not posts:
        return {}
    found = {}
    for model, ids in references.items():
        links = getattr(Post, PRESENTED_BY[model]).through.objects.filter(
            post__in=posts, **{f"{model._meta.model_name}__in": ids}
        )
        for link in links.select_related(model._meta.model_name):
            record = getattr(link, model._meta.model_name)
            found.setdefault(link.post_id, []).append((str(record), record.search_text))
    return found


def clean_query(raw: str) -> str:
    """The search text as typed, with runs of white space folded and its length capped."""
    return " ".join(raw.split())[:MAX_QUERY_LENGTH]


def highlight(text: str, terms):
    """`text` escaped, with each case-insensitive occurrence of one of `terms` in <mark>."""
    if not any(terms):
        return escape(text)
    parts = _marks(tuple(terms)).split(text)
    # html.escape is what django.utils.html.escape does, without a SafeString
    # per part: this runs twice for every hit of every search.
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(
            f"<mark>{html.escape(part)}</mark>" if i % 2 else html.escape(part)
            for i, part in enumerate(parts)
        )
    )


@functools.lru_cache(maxsize=128)
def _marks(terms):
    # The longest first, so that "Llama 3" is marked whole, not as "Llama".
    pattern = "|".join(re.escape(t) for t in sorted(filter(None, terms), key=len, reverse=True))
    return re.compile(f"({pattern})", flags=re.IGNORECASE)


def snippet(text: str, fallback: str, terms):
    """The words around the first match of `terms` in `text`, highlighted, or
    `fallback` (the post's excerpt) when `text` holds none."""
    lowered = text.lower()
    found, term = min(
        ((lowered.find(t.lower()), t) for t in terms if t.lower() in lowered),
        default=(-1, ""),
    )
    if found < 0:
        return highlight(fallback, terms)
    start = max(0, found - SNIPPET_CHARS)
    end = found + len(term) + SNIPPET_CHARS
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(Truncator(piece).chars(2 * SNIPPET_CHARS + len(term) + 2), terms)
