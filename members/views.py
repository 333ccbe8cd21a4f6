from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from community import editor_views
from community.models import Answer, Post
from members import limits, services
from members.forms import AnswerForm, DisplayNameForm, QuestionForm, ReportForm
from members.models import Member

LIMIT_MESSAGES = {
    "question": "한 시간에 올릴 수 있는 질문 수를 넘었습니다.",
    "answer": "한 시간에 올릴 수 있는 답변 수를 넘었습니다.",
    "report": "한 시간에 보낼 수 있는 신고 수를 넘었습니다.",
    "rename": "한 시간에 바꿀 수 있는 표시 이름 횟수를 넘었습니다.",
}


@require_safe
@login_required
def profile(request):
    member = Member.objects.for_user(request.user)
    context = {
        "member": member,
        "trusted": member.is_trusted(),
        "contributions": member.contributions.for_profile(),
        "reports": member.reports.for_profile(),
    }
    return render(request, "members/profile.html", context)


def _member_form(request, form_class, action, template, context, submit, initial=None):
    """
    The one flow of every member form: show it, check it, count it against
    the member's hourly limit, then `submit(member, data)`.

    A refused form (invalid, or over the limit with a 429) comes back with
    everything the member wrote in it.
    """
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    context = {**context, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, template, context, status=400 if form.is_bound else 200)
    if not limits.spend(request.user, action):
        context["limit_message"] = LIMIT_MESSAGES[action]
        return render(request, template, context, status=429)
    data = {name: value for name, value in form.cleaned_data.items() if name != "website"}
    return submit(Member.objects.for_user(request.user), data)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def rename(request):
    def submit(member, data):
        services.rename(member=member, **data)
        messages.success(request, "표시 이름을 바꿨습니다.")
        return redirect("members:profile")

    initial = {"display_name": Member.objects.for_user(request.user).display_name}
    return _member_form(
        request, DisplayNameForm, "rename", "members/rename_form.html", {}, submit, initial
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ask(request):
    def submit(member, data):
        contribution = services.ask(member=member, **data)
        messages.success(request, _submitted_message(contribution))
        return redirect("members:profile")

    return _member_form(request, QuestionForm, "question", "members/question_form.html", {}, submit)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def answer(request, slug):
    post = get_object_or_404(Post.objects.published(), slug=slug)

    def submit(member, data):
        contribution = services.answer(member=member, post=post, **data)
        messages.success(request, _submitted_message(contribution))
        return redirect("members:profile")

    context = {"post": post}
    return _member_form(request, AnswerForm, "answer", "members/answer_form.html", context, submit)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report(request, uid):
    answer = get_object_or_404(Answer.objects.public().select_related("post"), uid=uid)

    def submit(member, data):
        services.report(member=member, answer=answer, **data)
        messages.success(request, "신고를 받았습니다. 편집자가 검토한 뒤 결과를 알려 드립니다.")
        return redirect("members:profile")

    context = {"answer": answer}
    return _member_form(request, ReportForm, "report", "members/report_form.html", context, submit)


def _submitted_message(contribution):
    if contribution.is_public:
        return f"{contribution.kind_label}을 게시했습니다."
    return f"{contribution.kind_label}을 받았습니다. 편집자가 검토한 뒤 게시됩니다."


def _members_only(view):
    """For endpoints scripts call: a 403 that says why, not a redirect to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "로그인한 회원만 쓸 수 있습니다."}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@_members_only
def preview(request):
    """A member's live preview: the pipeline that renders published HTML, and nothing stored."""
    if not limits.spend(request.user, "preview"):
        return JsonResponse(
            {"error": "미리보기를 너무 자주 요청했습니다. 잠시 뒤에 다시 해 주세요."}, status=429
        )
    return editor_views.preview_response(request)
