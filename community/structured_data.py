"""
schema.org structured data (JSON-LD) for search engines: a question post with
answers is a QAPage. Only the answers readers read are in it (public ones),
the accepted one, which is the correction where a wrong answer was replaced, as
`acceptedAnswer`; a wrong or replaced answer never is.
"""

import html
import json

from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

SITE_NAME = "AiNex"
# Inside <script>, "</script>" or "<!--" in a title would end or change the
# element; JSON allows these escapes in strings, so the data reads the same.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def qa_page(post, page_url):
    """The QAPage of a live question post with public answers, or None."""
    if not post.is_live or post.kind != post.Kind.QUESTION or not post.public_answers:
        return None
    accepted = post.accepted_answer
    question = {
        "@type": "Question",
        "name": post.title,
        "text": _text(post.body_html),
        "answerCount": len(post.public_answers),
        "dateCreated": post.published_at.isoformat(),
        "author": _author(post.author_name),
        "url": page_url,
    }
    if accepted is not None:
        question["acceptedAnswer"] = _answer(accepted, page_url)
    suggested = [_answer(a, page_url) for a in post.public_answers if a is not accepted]
    if suggested:
        question["suggestedAnswer"] = suggested
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": question}


def _answer(answer, page_url):
    return {
        "@type": "Answer",
        "text": _text(answer.body_html),
        "dateCreated": answer.published_at.isoformat(),
        "author": _author(answer.author_name),
        "url": f"{page_url}#answer-{answer.uid}",
    }


def _author(name):
    # Posts without a named author are the site's own (the editors' seed content).
    if name:
        return {"@type": "Person", "name": name}
    return {"@type": "Organization", "name": SITE_NAME}


def _text(rendered_html):
    return " ".join(html.unescape(strip_tags(rendered_html)).split())


def json_ld(data):
    """`data` as a <script type="application/ld+json"> element, or "" for None."""
    if data is None:
        return ""
    text = json.dumps(data, ensure_ascii=False).translate(SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
