"""The forms members fill in: sign-up details, questions, answers and reports."""

import markdown
from django import forms
from django.core.exceptions import ValidationError

from community.markdown import MARKDOWN_EXTENSION_CONFIGS, MARKDOWN_EXTENSIONS
from members.models import DISPLAY_NAME_LENGTH, Member, Report

TITLE_LENGTH = 200
BODY_LENGTH = 20_000
REPORT_LENGTH = 2_000
RAW_HTML_ERROR = (
    "HTML 태그는 쓸 수 없습니다. 꺾쇠(< >)를 글자 그대로 보이려면 `백틱`으로 감싸 주세요."
)

HONEYPOT_ERROR = (
    "자동 입력으로 보여 보내지 않았습니다. 사람이라면 페이지를 새로 고친 뒤 다시 보내 주세요."
)


def contains_raw_html(text):
    """True when Python-Markdown would pass some of `text` through as raw HTML."""
    # The same Markdown with its raw-HTML handlers removed renders such text
    # as escaped characters: the two outputs differ exactly when there is some.
    escaping = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    escaping.preprocessors.deregister("html_block")
    escaping.inlinePatterns.deregister("html")
    plain = markdown.markdown(
        text,
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    return escaping.convert(text) != plain


def markdown_without_html(value):
    if contains_raw_html(value):
        raise ValidationError(RAW_HTML_ERROR, code="raw_html")


class HoneypotForm(forms.Form):
    """
    A field people never see (hidden by the style sheet, skipped by the
    keyboard and screen readers) that form-filling robots do fill in.
    """

    website = forms.CharField(
        label="웹사이트 (비워 두세요)",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_website(self):
        if self.cleaned_data["website"]:
            # Shown above the form: the field itself is out of sight.
            self.add_error(None, ValidationError(HONEYPOT_ERROR, code="honeypot"))
        return ""

    @property
    def honeypot_field(self):
        return self["website"]

    def visible_fields(self):
        return [field for field in super().visible_fields() if field.name != "website"]


class SignupDetailsForm(HoneypotForm):
    """ACCOUNT_SIGNUP_FORM_CLASS: what allauth's sign-up form asks beyond e-mail and password."""

    display_name = forms.CharField(
        label="표시 이름",
        max_length=DISPLAY_NAME_LENGTH,
        help_text="질문과 답변에 작성자로 표시됩니다.",
    )

    field_order = ["email", "display_name", "password1", "password2", "website"]

    def signup(self, request, user):
        member = Member.objects.for_user(user)
        member.display_name = self.cleaned_data["display_name"]
        member.save()


class DisplayNameForm(HoneypotForm):
    display_name = forms.CharField(
        label="표시 이름",
        max_length=DISPLAY_NAME_LENGTH,
        help_text="질문과 답변에 작성자로 표시됩니다. 바꾸면 이미 쓴 글의 작성자 이름도 바뀝니다.",
    )

    field_order = ["display_name", "website"]


class MarkdownBodyField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 12, "data-markdown-preview": ""})
    default_validators = [markdown_without_html]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", BODY_LENGTH)
        kwargs.setdefault(
            "help_text", "Markdown으로 씁니다(표, 코드 블록, 링크). HTML 태그는 쓸 수 없습니다."
        )
        super().__init__(**kwargs)


class QuestionForm(HoneypotForm):
    title = forms.CharField(label="제목", min_length=5, max_length=TITLE_LENGTH)
    body = MarkdownBodyField(label="본문")

    field_order = ["title", "body", "website"]

    def clean_title(self):
        title = self.cleaned_data["title"]
        markdown_without_html(title)
        return title


class AnswerForm(HoneypotForm):
    body = MarkdownBodyField(label="답변")
    source_label = forms.CharField(
        label="출처", max_length=120, required=False, help_text="예: 공식 문서, 논문 제목"
    )
    source_url = forms.URLField(
        label="출처 URL", max_length=500, required=False, assume_scheme="https"
    )

    field_order = ["body", "source_label", "source_url", "website"]


class ReportForm(HoneypotForm):
    kind = forms.ChoiceField(label="종류", choices=Report.Kind.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="이유",
        max_length=REPORT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="무엇이 틀렸는지, 맞는 내용은 무엇인지 적어 주세요.",
    )
    source_url = forms.URLField(
        label="근거 URL (선택)", max_length=500, required=False, assume_scheme="https"
    )

    field_order = ["kind", "reason", "source_url", "website"]
