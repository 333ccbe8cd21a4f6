"""Members, what they contribute, and what they report."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from community.models import Answer, Post

DISPLAY_NAME_LENGTH = 40


class Session(AbstractBaseSession):
    """A browser's session (SESSION_ENGINE = "members.sessions"), as Django keeps it,
    plus the user signed in with it, if any."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sessions",
        # A session is saved from its data, which can still name a user deleted
        # meanwhile: with a constraint that save would fail (and Django's
        # create() would retry it forever). Read with a LEFT JOIN, such a
        # session has no user.
        db_constraint=False,
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "세션"
        verbose_name_plural = "세션"

    def __str__(self):
        return self.session_key

    @classmethod
    def get_session_store_class(cls):
        from members.sessions import SessionStore

        return SessionStore


class MemberManager(models.Manager):
    def for_user(self, user):
        """The member profile of `user`, made on first use (e-mail and social sign-ups alike)."""
        name = user.get_full_name() or user.email.split("@")[0] or user.get_username()
        member, _ = self.get_or_create(
            user=user, defaults={"display_name": name[:DISPLAY_NAME_LENGTH]}
        )
        member.user = user  # the loaded one, not a second query for it
        return member


class Member(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member"
    )
    display_name = models.CharField("표시 이름", max_length=DISPLAY_NAME_LENGTH)
    trust_revoked = models.BooleanField(
        "신뢰 회수",
        default=False,
        help_text="켜면 승인된 글이 몇 개이든 이 회원의 글은 다시 검토를 거칩니다.",
    )
    joined_at = models.DateTimeField("가입일", auto_now_add=True)

    objects = MemberManager()

    class Meta:
        ordering = ["-joined_at"]
        verbose_name = verbose_name_plural = "회원"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("members:profile")

    @property
    def email(self):
        return self.user.email

    def approved_count(self):
        return self.contributions.filter(status=Contribution.Status.APPROVED).count()

    def is_trusted(self):
        """Publishes without review: MEMBER_TRUST_AFTER contributions approved by
        editors, and no editor has taken the trust away."""
        return not self.trust_revoked and self.approved_count() >= settings.MEMBER_TRUST_AFTER


class ContributionQuerySet(models.QuerySet):
    def awaiting_review(self):
        """What the editors' review queue shows first."""
        return self.filter(status=Contribution.Status.PENDING)

    def for_profile(self):
        """A member's contributions as their profile lists them, newest first."""
        return self.select_related("post", "answer__post").order_by("-created_at", "-id")


class EditorsDecision(models.Model):
    """What a member sent for the editors to decide on, and who decided when."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="결정한 편집자",
    )
    decided_at = models.DateTimeField("결정일", null=True, blank=True)
    created_at = models.DateTimeField("접수일", auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def record_decision(self, editor):
        self.decided_by = editor
        self.decided_at = timezone.now()


class Contribution(EditorsDecision):
    """A member's question or answer, and where the editors' review of it stands."""

    class Status(models.TextChoices):
        PENDING = "pending", "검토 대기"
        APPROVED = "approved", "승인됨"
        # A trusted member's: published at once, without review.
        PUBLISHED = "published", "바로 게시됨"
        REJECTED = "rejected", "반려됨"
        UNPUBLISHED = "unpublished", "게시 중단됨"

    # PROTECT: removing a member who has contributions is an editor's explicit
    # choice (keep or remove them), never a silent cascade.
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name="회원",
    )
    post = models.OneToOneField(
        Post,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contribution",
        verbose_name="질문",
    )
    answer = models.OneToOneField(
        Answer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contribution",
        verbose_name="답변",
    )
    status = models.CharField("검토 상태", max_length=12, choices=Status, default=Status.PENDING)
    reason = models.TextField("사유", blank=True, help_text="반려하거나 게시를 중단한 이유.")

    objects = ContributionQuerySet.as_manager()

    class Meta(EditorsDecision.Meta):
        verbose_name = verbose_name_plural = "회원 기여 검토"
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=True) ^ Q(answer__isnull=True),
                name="contribution_is_question_or_answer",
                violation_error_message="기여는 질문 하나나 답변 하나입니다.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "unpublished"]) | ~Q(reason=""),
                name="refused_contribution_has_reason",
                violation_error_message="반려하거나 게시를 중단하려면 사유를 적어 주세요.",
            ),
        ]

    def __str__(self):
        return f"{self.kind_label}: {self.question.title}"

    def get_absolute_url(self):
        return self.target.get_absolute_url()

    @property
    def target(self):
        """The post or answer this is."""
        return self.post or self.answer

    @property
    def question(self):
        """The question asked, or the one answered."""
        return self.post or self.answer.post

    @property
    def kind_label(self):
        return "질문" if self.post_id else "답변"

    @property
    def is_public(self):
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.OPEN)

    def for_profile(self):
        return self.select_related("answer__post").order_by("-created_at", "-id")


class Report(EditorsDecision):
    """A member's report that an answer is wrong (오답 신고) or otherwise needs an editor."""

    class Kind(models.TextChoices):
        INCORRECT = "incorrect", "오답 신고"
        OTHER = "other", "기타 신고"

    class Status(models.TextChoices):
        OPEN = "open", "검토 중"
        CORRECTED = "corrected", "오답으로 정정됨"
        DISMISSED = "dismissed", "조치하지 않음"

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="reports", verbose_name="답변"
    )
    reporter = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="신고한 회원",
    )
    kind = models.CharField("종류", max_length=12, choices=Kind, default=Kind.INCORRECT)
    reason = models.TextField("이유", max_length=2000)
    source_url = models.URLField("근거 URL", max_length=500, blank=True)
    status = models.CharField("처리 상태", max_length=12, choices=Status, default=Status.OPEN)
    outcome = models.TextField("처리 결과", blank=True, help_text="신고한 회원에게 알리는 내용.")

    objects = ReportQuerySet.as_manager()

    class Meta(EditorsDecision.Meta):
        verbose_name = verbose_name_plural = "신고"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.answer.post.title}"

    def get_absolute_url(self):
        return self.answer.get_absolute_url()


class ReportedAnswerQuerySet(models.QuerySet):
    def with_open_reports(self):
        """Answers with reports still to decide, each once, the most reported first."""
        return (
            self.annotate(
                open_reports=Count("reports", filter=Q(reports__status=Report.Status.OPEN))
            )
            .filter(open_reports__gt=0)
            .select_related("post")
            .order_by("-open_reports", "id")
        )


class ReportedAnswer(Answer):
    """The editors' report queue: reports grouped per answer."""

    objects = ReportedAnswerQuerySet.as_manager()

    class Meta:
        proxy = True
        verbose_name = verbose_name_plural = "신고된 답변"
