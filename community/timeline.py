"""
A post's public history: what readers saw change, and when.

Built from the revisions django-simple-history keeps of the question and its
answers. Only revisions readers could see count (a published question, a
published or incorrect answer); who edited, drafts and change reasons stay in
the admin. Consecutive public revisions are compared word by word, and the
correction workflow's steps (published, accepted, marked incorrect, linked to
the answer it corrects) are read off the revisions' fields.
"""

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from community.markdown import plain_text
from community.models import Answer, Post

# Korean writes a particle onto its word ("모델을"), so a whitespace-separated
# word (eojeol) is the unit a reader sees change; the spaces are kept as tokens
# so the diff reads back as the text.
WORD = re.compile(r"\s+|\S+")
# Unchanged words shown around a change; the rest of a long answer is elided.
CONTEXT_WORDS = 8


@dataclass
class DiffPart:
    kind: str  # "same", "removed", "added" or "gap"
    text: str


@dataclass
class TimelineEntry:
    date: datetime
    subject: str  # "질문" or "답변"
    answer: Answer | None
    events: list[str]
    title_change: tuple[str, str] | None = None
    diff: list[DiffPart] = field(default_factory=list)


def word_diff(old: str, new: str) -> list[DiffPart]:
    """The changes from `old` to `new` by word, with a little unchanged context."""
    before, after = WORD.findall(old), WORD.findall(new)
    parts = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("same", "".join(before[i1:i2])))
            continue
        for kind, text in (("removed", "".join(before[i1:i2])), ("added", "".join(after[j1:j2]))):
            if text.strip():
                parts.append(DiffPart(kind, text))
            elif text and kind == "added":
                parts.append(DiffPart("same", " "))  # only spacing moved
    return _with_context(parts)


def _with_context(parts):
    """Unchanged runs cut to the words next to a change, the rest shown as a gap."""
    keep = CONTEXT_WORDS * 2  # a word and the space after it
    shown = []
    for index, part in enumerate(parts):
        words = WORD.findall(part.text)
        if part.kind != "same" or len(words) <= keep:
            shown.append(part)
            continue
        after_change, before_change = index > 0, index < len(parts) - 1
        if after_change:
            shown.append(DiffPart("same", "".join(words[:keep])))
        if not (after_change and before_change and len(words) <= 2 * keep):
            shown.append(DiffPart("gap", "…"))
        else:
            shown[-1] = part  # short enough to show whole
            continue
        if before_change:
            shown.append(DiffPart("same", "".join(words[-keep:])))
    return shown


def post_timeline(post: Post) -> list[TimelineEntry]:
    """Every public revision of `post` and of its answers on record, oldest first."""
    entries = _question_entries(post)
    answers = {a.pk: a for a in post.answers_on_record}
    revisions = (
        Answer.history.filter(id__in=answers, status__in=_ANSWER_PUBLIC_STATUSES)
        .order_by("id", "history_date", "history_id")
        .only(*_ANSWER_FIELDS)
    )
    for answer_id, records in groupby(revisions, key=lambda r: r.id):
        entries += _answer_entries(answers[answer_id], list(records))
    return sorted(entries, key=lambda entry: entry.date)


_ANSWER_PUBLIC_STATUSES = [Answer.Status.PUBLISHED, Answer.Status.INCORRECT]
_ANSWER_FIELDS = [
    "id",
    "history_id",
    "history_date",
    "body_html",
    "status",
    "is_accepted",
    "corrects_id",
    "published_at",
    "marked_incorrect_at",
]


def _question_entries(post):
    records = post.history.filter(status=Post.Status.PUBLISHED).order_by(
        "history_date", "history_id"
    )
    entries, previous = [], None
    for record in records.only("history_id", "history_date", "title", "body_html", "published_at"):
        if previous is None:
            # Dated when readers first saw it: a scheduled post later than it
            # was saved, a post loaded from a fixture earlier than it was loaded.
            entries.append(TimelineEntry(record.published_at, "질문", None, ["게시"]))
        elif (previous.title, previous.body_html) != (record.title, record.body_html):
            entry = TimelineEntry(record.history_date, "질문", None, ["질문 수정"])
            if previous.title != record.title:
                entry.title_change = (previous.title, record.title)
            if previous.body_html != record.body_html:
                entry.diff = word_diff(plain_text(previous.body_html), plain_text(record.body_html))
            entries.append(entry)
        previous = record
    return entries


def _answer_entries(answer, records):
    entries, previous = [], None
    for record in records:
        first = previous is None
        date = record.published_at if first else record.history_date
        events = ["게시"] if first else []
        entry = TimelineEntry(date, "답변", answer, events)
        if not first and previous.body_html != record.body_html:
            events.append("답변 수정")
            entry.diff = word_diff(plain_text(previous.body_html), plain_text(record.body_html))
        if record.corrects_id and (first or previous.corrects_id != record.corrects_id):
            events.append("오답을 정정하는 답변으로 연결")
        if record.is_accepted and (first or not previous.is_accepted):
            events.append("채택")
        if record.status == Answer.Status.INCORRECT and (
            first or previous.status != Answer.Status.INCORRECT
        ):
            if first and record.marked_incorrect_at:
                # Created already marked: the publication and the judgement are two events.
                entries.append(entry)
                entry = TimelineEntry(record.marked_incorrect_at, "답변", answer, [])
                events = entry.events
            events.append("오답으로 판정")
        if events:
            entries.append(entry)
        previous = record
    return entries
