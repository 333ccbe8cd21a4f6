"""
Members' workflows: asking, answering, reporting, and the editors' decisions on them.

Each function is one transaction. A member is told of a decision by e-mail
after it commits, so a decision that rolls back sends nothing.
"""

import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from community import services as community_services
from community.models import Answer, Post
from members.models import Contribution, Member, Report
from pagecache.models import ContentVersion

logger = logging.getLogger(__name__)
SLUG_WORDS_LENGTH = 120


def _initial_status(member, model):
    """Published at once for a trusted member, else waiting for review."""
    if member.is_trusted():
        return model.Status.PUBLISHED, Contribution.Status.PUBLISHED
    return model.Status.PENDING, Contribution.Status.PENDING


def _question_slug(title):
    # A random tail: two members may ask the same question, and a member's
    # title must never take an address an editor's post may want later.
    words = slugify(title, allow_unicode=True)[:SLUG_WORDS_LENGTH].strip("-") or "question"
    return f"{words}-{secrets.token_hex(3)}"


@transaction.atomic
def ask(*, member: Member, title: str, body: str) -> Contribution:
    """A member's question: waiting for review, or published if the member is trusted."""
    post_status, status = _initial_status(member, Post)
    post = Post.objects.create(
        kind=Post.Kind.QUESTION,
        title=title,
        slug=_question_slug(title),
        body=body,
        status=post_status,
        author_name=member.display_name,
    )
    return Contribution.objects.create(member=member, post=post, status=status)


@transaction.atomic
def answer(
    *, member: Member, post: Post, body: str, source_label: str = "", source_url: str = ""
) -> Contribution:
    """A member's answer to a published post, reviewed as a question is."""
    answer_status, status = _initial_status(member, Answer)
    answer = Answer.objects.create(
        post=post,
        body=body,
        source_label=source_label,
        source_url=source_url,
        status=answer_status,
        author_name=member.display_name,
    )
    return Contribution.objects.create(member=member, answer=answer, status=status)


@transaction.atomic
def rename(*, member: Member, display_name: str) -> None:
    """
    The member's new name, on the profile and on everything they wrote.

    The name says who wrote a post, it is not part of what was written: the
    posts and answers take it without a revision (a queryset update), and the
    content version moves on so that cached pages show it.
    """
    member.display_name = display_name
    member.save(update_fields=["display_name"])
    Post.objects.filter(contribution__member=member).update(author_name=display_name)
    Answer.objects.filter(contribution__member=member).update(author_name=display_name)
    ContentVersion.bump()


def _decide(contribution, editor, status, reason=""):
    contribution.status = status
    contribution.reason = reason
    contribution.record_decision(editor)
    contribution.full_clean()
    contribution.save()
    _tell(
        contribution.member,
        f"회원님의 {contribution.kind_label}: {contribution.get_status_display()}",
        "members/email/decision.txt",
        {"contribution": contribution},
    )


def _locked(contribution):
    # Two editors deciding the same contribution at once: the second one
    # sees the first one's decision.
    return Contribution.objects.select_for_update().get(pk=contribution.pk)


@transaction.atomic
def approve(*, contribution: Contribution, editor) -> Contribution:
    """Publish a contribution waiting for review, from now."""
    contribution = _locked(contribution)
    if contribution.status != Contribution.Status.PENDING:
        raise ValidationError("검토 대기 중인 글만 승인할 수 있습니다.")
    target = contribution.target
    target.status = target.Status.PUBLISHED
    target.published_at = timezone.now()
    target.save()
    _decide(contribution, editor, Contribution.Status.APPROVED)
    return contribution


@transaction.atomic
def reject(*, contribution: Contribution, editor, reason: str) -> Contribution:
    """Refuse a contribution waiting for review, telling the member why."""
    contribution = _locked(contribution)
    if contribution.status != Contribution.Status.PENDING:
        raise ValidationError("검토 대기 중인 글만 반려할 수 있습니다.")
    target = contribution.target
    target.status = target.Status.REJECTED
    target.save()
    _decide(contribution, editor, Contribution.Status.REJECTED, reason)
    return contribution


@transaction.atomic
def unpublish(
    *, contribution: Contribution, editor, reason: str, revoke_trust: bool = False
) -> Contribution:
    """Take a published contribution down, and with `revoke_trust` the member's trust too."""
    contribution = _locked(contribution)
    target = contribution.target
    if not contribution.is_public or target.status != target.Status.PUBLISHED:
        raise ValidationError(
            "게시 중인 회원 글만 게시를 중단할 수 있습니다. "
            "오답 표시 같은 편집 상태는 게시글·답변 화면에서 바꿉니다."
        )
    target.status = target.Status.REJECTED
    if isinstance(target, Answer):
        target.follow_status()  # no longer accepted
    target.save()
    _decide(contribution, editor, Contribution.Status.UNPUBLISHED, reason)
    if revoke_trust and contribution.member is not None:
        set_trust(member=contribution.member, trusted=False)
    return contribution


def set_trust(*, member: Member, trusted: bool) -> Member:
    """Give a member's earned trust back, or take it away."""
    member.trust_revoked = not trusted
    member.save(update_fields=["trust_revoked"])
    return member


@transaction.atomic
def report(
    *, member: Member, answer: Answer, kind: str, reason: str, source_url: str = ""
) -> Report:
    """A member's report on a public answer. Readers see nothing of it."""
    return Report.objects.create(
        answer=answer, reporter=member, kind=kind, reason=reason, source_url=source_url
    )


@transaction.atomic
def resolve_reports(
    *,
    answer: Answer,
    editor,
    incorrect: bool,
    note: str,
    correction: Answer | None = None,
) -> list[Report]:
    """
    Decide every open report on `answer` at once.

    As incorrect: the correction workflow editors use in the admin
    (`community.services.mark_answer_incorrect`) with `note` as the editors'
    note and `correction` as the corrected answer. Otherwise the answer stays
    as it is. Each reporter is told the outcome.
    """
    reports = list(
        Report.objects.open()
        .filter(answer=answer)
        .select_for_update(of=("self",))
        .select_related("reporter")
    )
    if not reports:
        raise ValidationError("처리할 신고가 없습니다.")
    if incorrect:
        community_services.mark_answer_incorrect(answer=answer, note=note, correction=correction)
    status = Report.Status.CORRECTED if incorrect else Report.Status.DISMISSED
    for item in reports:
        item.status = status
        item.outcome = note
        item.record_decision(editor)
        item.save()
        _tell(
            item.reporter,
            f"신고 처리 결과: {item.get_status_display()}",
            "members/email/report_outcome.txt",
            {"report": item, "answer": answer},
        )
    return reports


@transaction.atomic
def remove_members(*, members, keep_contributions: bool) -> int:
    """
    Delete members' accounts, by an editor's explicit choice about what they wrote.

    Kept: their questions, answers and reports stay, no longer linked to an
    account (the author name stays as published). Not kept: they are deleted,
    a question with every answer under it. Returns how many were removed.
    """
    removed = 0
    for member in members:
        if keep_contributions:
            member.contributions.update(member=None)
            member.reports.update(reporter=None)
        else:
            for contribution in member.contributions.select_related("post", "answer"):
                contribution.target.delete()
            member.reports.all().delete()
        member.user.delete()
        removed += 1
    return removed


def _tell(member, subject, template, context):
    """E-mail `member` once the transaction commits."""
    if member is None or not member.email:
        return
    body = render_to_string(template, {"member": member, "site_url": settings.SITE_URL, **context})
    address = member.email

    def send():
        try:
            send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [address])
        except Exception:
            # The decision stands; the member still sees it on their profile.
            logger.exception("Could not e-mail %s", address)

    transaction.on_commit(send)
