"""
The editors' queues: members' contributions to review (검토 대기) and reports
grouped per answer. Decisions go through members.services, which also tell
the member.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, ProtectedError, Q, RestrictedError
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from community.models import Answer
from members import services
from members.models import Contribution, Member, Report, ReportedAnswer


def _rendered(post_or_answer):
    """A body as readers see it, for an editor to judge before it is public."""
    # body_html was rendered and sanitized when the row was saved (render_markdown).
    html = mark_safe(post_or_answer.body_html)  # noqa: S308
    return format_html('<div class="member-content">{}</div>', html)


class ContributionDecisionForm(forms.ModelForm):
    APPROVE, REJECT, UNPUBLISH = "approve", "reject", "unpublish"

    decision = forms.ChoiceField(
        label="결정",
        choices=[
            ("", "그대로 둠"),
            (APPROVE, "승인 (게시)"),
            (REJECT, "반려"),
            (UNPUBLISH, "게시 중단"),
        ],
        required=False,
    )
    revoke_trust = forms.BooleanField(
        label="이 회원의 신뢰도 회수", required=False, help_text="이후 글은 모두 검토를 거칩니다."
    )

    class Meta:
        model = Contribution
        fields = ["reason"]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        status = self.instance.status
        if decision in (self.APPROVE, self.REJECT) and status != Contribution.Status.PENDING:
            raise ValidationError("검토 대기 중인 글만 승인하거나 반려할 수 있습니다.")
        if decision == self.UNPUBLISH and not self.instance.is_public:
            raise ValidationError("게시 중인 글만 게시를 중단할 수 있습니다.")
        if decision in (self.REJECT, self.UNPUBLISH) and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", "반려하거나 게시를 중단하는 이유를 적어 주세요. 회원에게 전달됩니다."
            )
        return cleaned

    def _post_clean(self):
        # The decision sets the status and the reason together, in the service;
        # the model's own checks would judge the status still on the row.
        pass


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    form = ContributionDecisionForm
    list_display = ["title", "kind_label", "member", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["member", "post", "answer__post"]
    search_fields = ["post__title", "answer__post__title", "member__display_name"]
    readonly_fields = ["member", "status", "question_link", "content", "decided_by", "decided_at"]
    fields = [
        "member",
        "status",
        "question_link",
        "content",
        "decision",
        "reason",
        "revoke_trust",
        "decided_by",
        "decided_at",
    ]
    actions = ["approve_selected"]

    @admin.display(description="제목")
    def title(self, contribution):
        return contribution.question.title

    @admin.display(description="종류")
    def kind_label(self, contribution):
        return contribution.kind_label

    @admin.display(description="질문")
    def question_link(self, contribution):
        return contribution.question.title

    @admin.display(description="내용 (독자에게 보일 모습)")
    def content(self, contribution):
        return _rendered(contribution.target)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, contribution, form, change):
        decision = form.cleaned_data.get("decision")
        reason = form.cleaned_data.get("reason", "")
        if decision == form.APPROVE:
            services.approve(contribution=contribution, editor=request.user)
        elif decision == form.REJECT:
            services.reject(contribution=contribution, editor=request.user, reason=reason)
        elif decision == form.UNPUBLISH:
            services.unpublish(
                contribution=contribution,
                editor=request.user,
                reason=reason,
                revoke_trust=form.cleaned_data.get("revoke_trust"),
            )
        elif form.cleaned_data.get("revoke_trust") and contribution.member:
            services.set_trust(member=contribution.member, trusted=False)

    @admin.action(description="선택한 검토 대기 글 승인")
    def approve_selected(self, request, queryset):
        approved = 0
        for contribution in queryset.awaiting_review():
            services.approve(contribution=contribution, editor=request.user)
            approved += 1
        self.message_user(request, f"{approved}개를 승인해 게시했습니다.", messages.SUCCESS)


class ReportInline(admin.TabularInline):
    model = Report
    fields = ["kind", "reason", "source_url", "reporter", "status", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "이 답변에 대한 신고"

    def has_add_permission(self, request, obj=None):
        return False


class ReportDecisionForm(forms.ModelForm):
    INCORRECT, DISMISS = "incorrect", "dismiss"

    decision = forms.ChoiceField(
        label="결정",
        choices=[(INCORRECT, "오답으로 정정"), (DISMISS, "조치하지 않음")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="편집자 메모",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="오답이면 그 이유(답변에 편집자 메모로 남습니다). 신고한 회원에게도 전달됩니다.",
    )
    correction = forms.ModelChoiceField(
        label="정정 답변",
        queryset=Answer.objects.none(),
        required=False,
        help_text="같은 게시글의, 출처가 적힌 답변. 초안이면 정정과 함께 게시됩니다.",
    )

    class Meta:
        model = ReportedAnswer
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["correction"].queryset = Answer.objects.candidates_to_correct(self.instance)


@admin.register(ReportedAnswer)
class ReportedAnswerAdmin(admin.ModelAdmin):
    """One row per reported answer with its open reports; deciding resolves them all."""

    form = ReportDecisionForm
    list_display = ["post", "open_reports", "status"]
    readonly_fields = ["post", "status", "answer_content"]
    fields = ["post", "status", "answer_content", "decision", "note", "correction"]
    inlines = [ReportInline]

    def get_queryset(self, request):
        return ReportedAnswer.objects.with_open_reports()

    @admin.display(description="미처리 신고")
    def open_reports(self, answer):
        return answer.open_reports

    @admin.display(description="답변")
    def answer_content(self, answer):
        return _rendered(answer)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, answer, form, change):
        # Nothing of the form is saved on the answer itself: the decision is a
        # workflow (members.services.resolve_reports), on the real Answer so
        # that its history and the page cache see the change.
        services.resolve_reports(
            answer=Answer.objects.get(pk=answer.pk),
            editor=request.user,
            incorrect=form.cleaned_data["decision"] == form.INCORRECT,
            note=form.cleaned_data["note"],
            correction=form.cleaned_data["correction"],
        )


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Every report, decided or not, for looking things up."""

    list_display = ["answer", "kind", "reporter", "status", "created_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["answer__post", "reporter"]
    readonly_fields = [field.name for field in Report._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "email", "approved", "trust_revoked", "joined_at"]
    list_filter = ["trust_revoked"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__email"]
    fields = ["display_name", "email", "trust_revoked", "joined_at"]
    readonly_fields = ["email", "joined_at"]
    actions = ["revoke_trust", "restore_trust", "remove_keeping_contributions", "remove_all"]

    def get_queryset(self, request):
        approved = Q(contributions__status=Contribution.Status.APPROVED)
        return super().get_queryset(request).annotate(approved=Count("contributions", approved))

    @admin.display(description="승인된 글", ordering="approved")
    def approved(self, member):
        return member.approved

    def has_add_permission(self, request):
        return False

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        # Removing accounts is the members' own delete with a choice of what
        # happens to their contributions; the plain one would be refused anyway.
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="신뢰도 회수 (이후 글은 검토)")
    def revoke_trust(self, request, queryset):
        for member in queryset:
            services.set_trust(member=member, trusted=False)

    @admin.action(description="신뢰도 복원")
    def restore_trust(self, request, queryset):
        for member in queryset:
            services.set_trust(member=member, trusted=True)

    @admin.action(description="회원 삭제: 질문·답변은 남김", permissions=["delete"])
    def remove_keeping_contributions(self, request, queryset):
        removed = services.remove_members(members=queryset, keep_contributions=True)
        self.message_user(request, f"회원 {removed}명을 삭제했습니다. 글은 남겼습니다.")

    @admin.action(
        description="회원 삭제: 질문(달린 답변 포함)·답변·신고도 삭제", permissions=["delete"]
    )
    def remove_all(self, request, queryset):
        try:
            removed = services.remove_members(members=queryset, keep_contributions=False)
        except (ProtectedError, RestrictedError):
            self.message_user(
                request,
                "다른 답변의 정정 대상인 답변이 있어 삭제하지 않았습니다. "
                "아무것도 바뀌지 않았습니다.",
                messages.ERROR,
            )
            return
        self.message_user(request, f"회원 {removed}명과 그 글을 삭제했습니다.")
