import dataclasses
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.http import Http404
from django.utils.text import capfirst
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from community import services
from community.models import Answer, Post, Synonym, Tag


class MarkdownEditor(AdminMarkdownxWidget):
    """markdownx's editor, telling static/js/admin-image-upload.js the upload limit so
    that a file over it is refused before it is sent."""

    def __init__(self, attrs=None):
        super().__init__({"data-image-max-bytes": settings.IMAGE_UPLOAD_MAX_BYTES, **(attrs or {})})


MARKDOWN_EDITOR = {MarkdownxField: {"widget": MarkdownEditor}}

admin.site.site_header = "AiNex 편집실"
admin.site.site_title = "AiNex 편집실"
admin.site.index_title = "콘텐츠 관리"


def reverted_from(instance):
    """The historical record `instance` was built from, when a revert page shows it, else None."""
    return getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


class EditConflictForm(forms.ModelForm):
    """
    Refuses to save over what another editor saved after this form was opened.

    Without it, a page left open puts its stale values back on save: an answer
    marked incorrect meanwhile would be published again, its note gone. The
    form carries the row's `updated_at` as it was when the page was rendered.
    """

    opened_at_version = forms.CharField(
        label="화면을 열 때의 수정 시각", widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        if instance is not None and reverted_from(instance) is not None and instance.pk:
            # Before the fields take their initial values from the instance.
            self._workflow_as_saved(instance)
        super().__init__(*args, **kwargs)
        self.saved_version = self._saved_version()
        self.fields["opened_at_version"].initial = self.saved_version
        self._links_as_in_revision()

    @staticmethod
    def _workflow_as_saved(revision):
        """
        A revert restores content, not workflow: whether and when readers see
        the row, its acceptance and its correction link stay as they are now.
        Those change through the services (community/services.py), whose checks
        a revision from before them would skip: reverting a correction to its
        first draft used to unpublish it and leave the post with no answer.
        """
        fields = [
            revision._meta.get_field(name).attname
            for name in getattr(revision, "workflow_fields", ())
        ]
        if fields:
            saved = type(revision)._base_manager.filter(pk=revision.pk).values(*fields).first()
            for name, value in (saved or {}).items():
                setattr(revision, name, value)

    def _links_as_in_revision(self):
        # A revision being reverted is a row built from its historical record,
        # and Django reads a many-to-many field's initial value from the live
        # row: the revert page would offer today's tags and formats and save
        # them back. The record keeps its own (Post's history m2m_fields).
        revision = reverted_from(self.instance)
        for field in getattr(revision, "_history_m2m_fields", ()):
            if field.name in self.fields:
                links = getattr(revision, field.name).values_list(
                    field.m2m_reverse_field_name(), flat=True
                )
                self.initial[field.name] = list(links)

    def _saved_version(self):
        # Read from the row, not the instance: a revision being reverted
        # (django-simple-history) carries its own, older updated_at.
        if not self.instance.pk:
            return ""
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if self.is_bound:
            rows = rows.select_for_update()
        saved = rows.values_list("updated_at", flat=True).first()
        return saved.isoformat() if saved else ""

    def _post_clean(self):
        super()._post_clean()
        # The admin's date and time inputs have no microseconds: a date the
        # editor did not touch would lose its own, and every save would log a
        # change of it. It keeps the value it has.
        untouched = set(self.fields) - set(self.changed_data)
        for name, value in self.initial.items():
            if isinstance(value, datetime) and name in untouched and not self.has_error(name):
                setattr(self.instance, name, value)

    def clean(self):
        cleaned = super().clean()
        opened = cleaned.get("opened_at_version")
        # A form that does not say when it was opened cannot be checked, so it
        # is refused as a conflict rather than allowed to overwrite.
        if self.saved_version and opened != self.saved_version:
            raise forms.ValidationError(
                "이 화면을 연 뒤에 다른 편집자가 이 항목을 저장했습니다. 덮어쓰지 않도록 "
                "저장하지 않았습니다. 페이지를 새로 고쳐 바뀐 내용을 확인한 뒤 다시 고쳐 주세요.",
                code="edit_conflict",
            )
        return cleaned


class RevisionChanges(HistoricalRecordContextHelper):
    """What a revision changed, as the history page lists it: the fields an editor
    edits, in Korean, without the HTML and search text made from them."""

    def context_for_delta_changes(self, delta):
        derived = {"updated_at", *getattr(self.model, "derived_field_names", list)()}
        changes = [change for change in delta.changes if change.field not in derived]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))

    def stringify_delta_change_values(self, change, old, new):
        return super().stringify_delta_change_values(change, _readable(old), _readable(new))


def _readable(value):
    # A foreign key that was empty reads "Deleted 답변 (pk=None)" otherwise.
    if value is None or (isinstance(value, DeletedObject) and value.pk is None):
        return "없음"
    if isinstance(value, bool):
        return "예" if value else "아니요"
    return value


class ColumnNamedInputs:
    """
    A formset the admin shows as a table (a tabular inline, a list_editable
    list) names each input after its column. The column's header is its only
    label, and a header names no input (WCAG 4.1.2; axe: label, select-name),
    so a screen reader would announce a bare "edit text".
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget  # the wrapper renders its inner widget's attributes
            if not widget.is_hidden:
                widget.attrs.setdefault("aria-label", capfirst(field.label))


class TableInlineFormSet(ColumnNamedInputs, BaseInlineFormSet):
    pass


class TableListFormSet(ColumnNamedInputs, BaseModelFormSet):
    pass


class LabelledTabularInline(admin.TabularInline):
    formset = TableInlineFormSet


class EditorialAdmin(SimpleHistoryAdmin):
    """
    The admin of a record editors change: its history (django-simple-history),
    a revert page that is safe to save from, and no saving over another
    editor's later change (EditConflictForm).
    """

    form = EditConflictForm
    object_history_list_template = "admin/revision_list.html"
    object_history_form_template = "admin/revision_form.html"

    class Media:
        css = {"all": ["css/admin.css"]}
        js = ["js/admin-image-upload.js", "js/admin-filter-labels.js"]

    def save_model(self, request, obj, form, change):
        # A save that changes nothing leaves the row as it is: bumping its
        # updated_at would refuse every other editor's open page for nothing.
        # (A revert's form starts from the revision, so it always saves.)
        if change and not form.has_changed() and reverted_from(obj) is None:
            return
        obj._history_user = request.user
        self.save_edited(request, obj, form)

    def log_change(self, request, obj, message):
        # Nothing saved, nothing to log ("변경된 필드가 없습니다" on every
        # unchanged save, as Django does, fills the log with non-events).
        if message:
            return super().log_change(request, obj, message)
        return None

    def get_historical_record_context_helper(self, request, historical_record):
        return RevisionChanges(self.model, historical_record)

    def save_edited(self, request, obj, form):
        """Save a row the editor changed; a model with a workflow saves through its service."""
        obj.save()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history passes both ids to the ORM as they are: a revision id
        # like "abc" would be a ValueError, a 500, instead of a page not found.
        if not str(version_id).isdecimal() or not str(object_id).isdecimal():
            raise Http404("그런 이력이 없습니다.")
        # Reverting saves like the change page, which Django runs in a
        # transaction: EditConflictForm's row lock needs one, and so does a
        # revert that saves the row and then its many-to-many links.
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=TableListFormSet, **kwargs)


class MarkdownPreviewAdmin(EditorialAdmin):
    """History, plus the live Markdown preview on plain text fields that hold Markdown."""

    markdown_preview_fields: list[str] = []

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.markdown_preview_fields:
            kwargs["widget"] = MarkdownEditor
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ReaderImpactForm(EditConflictForm):
    """
    Asks before a save takes something away from readers (an answer, a post,
    an acceptance): the form says what readers will see instead, and saves
    only once the editor ticks the box. Leaving the page cancels.
    """

    confirm_reader_impact = forms.BooleanField(
        label="독자에게 보이는 변화를 확인했습니다", required=False, widget=forms.HiddenInput
    )

    def reader_impact(self):
        """What readers lose with this save, in a sentence, or None."""
        return None

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        impact = self.reader_impact()
        if impact and not self.cleaned_data.get("confirm_reader_impact"):
            self.fields["confirm_reader_impact"].widget = forms.CheckboxInput()
            self.add_error(
                None,
                f"{impact} 그래도 저장하려면 '독자에게 보이는 변화를 확인했습니다'를 "
                "체크하고 다시 저장하세요. 저장하지 않으려면 이 화면을 닫으세요.",
            )


class PostForm(ReaderImpactForm):
    def reader_impact(self):
        if (
            not self.instance.pk
            or not Post.objects.published().filter(pk=self.instance.pk).exists()
        ):
            return None
        if self.instance.is_live:
            return None
        return (
            "저장하면 이 글이 목록과 검색에서 빠지고, 글 주소를 여는 독자는 "
            "'페이지를 찾을 수 없습니다'를 보게 됩니다."
        )


class AnswerForm(ReaderImpactForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        status.help_text = (
            "게시됨: 저장하는 즉시 독자에게 보입니다. 초안: 편집자만 봅니다. "
            "오답: 이유(편집자 메모)와 함께 보관되어, 독자에게는 접힌 채로 보입니다."
        )
        if not self.instance.pk:
            # An editor writing an answer in the admin writes it to publish it.
            status.initial = Answer.Status.PUBLISHED

    def reader_impact(self):
        answer = self.instance
        if not answer.pk or answer.is_public or answer.is_incorrect:
            return None
        saved = Answer._base_manager.filter(pk=answer.pk).values("status", "is_accepted").first()
        if saved is None or saved["status"] != Answer.Status.PUBLISHED:
            return None
        remaining = (
            Answer.objects.public().filter(post=answer.post_id).exclude(pk=answer.pk).count()
        )
        lost = "채택된 이 답변" if saved["is_accepted"] else "이 답변"
        if remaining:
            instead = f"남은 답변 {remaining}개가 보입니다."
            if saved["is_accepted"]:
                instead = f"남은 답변 {remaining}개가 보이고, 채택된 답변은 없습니다."
        else:
            instead = "'아직 답변이 없습니다'가 보입니다."
        return f"저장하면 {lost}이 독자에게서 사라집니다. 이 글에는 {instead}"

    def _post_clean(self):
        super()._post_clean()
        # Django leaves out the constraints naming a field the form does not edit,
        # and is_accepted is read-only: moving an accepted answer to a post that
        # has one would otherwise fail in the database instead of as a form
        # error. They are checked on the answer as the service will save it.
        if not self.errors:
            self.instance.follow_status()
            try:
                self.instance.validate_constraints()
            except ValidationError as error:
                self.add_error(None, error.messages)


class AnswerInline(admin.StackedInline):
    model = Answer
    form = AnswerForm
    fk_name = "post"
    extra = 0
    formfield_overrides = MARKDOWN_EDITOR
    fields = [
        "body",
        ("status", "is_accepted"),
        ("author_name", "published_at"),
        ("source_label", "source_url"),
        "editor_note",
        "corrects",
        "opened_at_version",
        "confirm_reader_impact",
    ]
    readonly_fields = ["is_accepted", "corrects"]
    show_change_link = True

    class Media:
        js = ["js/admin-markdown-rows.js"]


@admin.register(Post)
class PostAdmin(EditorialAdmin):
    form = PostForm
    list_display = ["title", "kind", "status", "published_at", "answer_total", "updated_at"]
    list_filter = ["status", "kind", "tags", "formats"]
    # The body as readers see it, as on the site: a phrase that Markdown
    # emphasis splits in the source ("**WSL2**를") is found.
    search_fields = ["title", "search_text", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags", "formats", "hardware_tiers", "scenarios"]
    date_hierarchy = "published_at"
    formfield_overrides = MARKDOWN_EDITOR
    inlines = [AnswerInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "body", "opened_at_version"]}),
        (
            "게시",
            {"fields": ["status", "published_at", "author_name", "tags", "confirm_reader_impact"]},
        ),
        ("참고 자료", {"fields": ["formats", "hardware_tiers", "scenarios"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answer_total=Count("answers"))

    @admin.display(description="답변 수", ordering="answer_total")
    def answer_total(self, post):
        return post.answer_total

    def save_formset(self, request, form, formset, change):
        if formset.model is not Answer:
            return super().save_formset(request, form, formset, change)
        # The inline's answers save through the same service as the answer's
        # own page, so their status follows the same workflow.
        for answer in formset.save(commit=False):
            services.save_answer(answer=answer)
        for answer in formset.deleted_objects:
            answer.delete()
        formset.save_m2m()


class AnswerAdminForm(AnswerForm):
    correction = forms.ModelChoiceField(
        queryset=Answer.objects.none(),
        required=False,
        empty_label="고르지 않음",
        label="정정 답변",
        help_text="오답으로 표시할 때, 이 답변을 대신할 같은 게시글의 답변을 고르면 "
        "그 답변이 게시·채택되고 이 답변과 연결됩니다. 출처가 적힌 답변만 고를 수 있습니다.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["correction"].queryset = Answer.objects.candidates_to_correct(self.instance)

    def clean(self):
        cleaned = super().clean()
        correction = cleaned.get("correction")
        if correction is None:
            return cleaned
        if cleaned.get("status") != Answer.Status.INCORRECT:
            self.add_error(
                "correction", "정정 답변은 이 답변을 오답으로 표시할 때만 고를 수 있습니다."
            )
        elif cleaned.get("post") and cleaned["post"].pk != self.instance.post_id:
            # The choices (candidates_to_correct) were answers to the post this
            # answer had when the page opened.
            self.add_error("correction", "게시글을 바꾸는 저장에서는 정정 답변을 고를 수 없습니다.")
        return cleaned


@admin.register(Answer)
class AnswerAdmin(EditorialAdmin):
    form = AnswerAdminForm
    list_display = ["__str__", "post", "status", "is_accepted", "is_correction", "published_at"]
    list_filter = ["status", "is_accepted", "post__kind"]
    list_select_related = ["post"]
    search_fields = ["search_text", "post__title", "editor_note", "source_label"]
    raw_id_fields = ["post"]
    # Set only by marking an answer incorrect with a correction (the service),
    # which checks that the correction may replace it.
    readonly_fields = ["is_accepted", "corrects"]
    formfield_overrides = MARKDOWN_EDITOR
    actions = ["accept_selected"]
    fieldsets = [
        (None, {"fields": ["post", "body", "author_name", "published_at"]}),
        ("출처", {"fields": ["source_label", "source_url"]}),
        (
            "검수",
            {
                "fields": [
                    "status",
                    "is_accepted",
                    "editor_note",
                    "correction",
                    "corrects",
                    "opened_at_version",
                    "confirm_reader_impact",
                ],
                "description": "틀린 답변은 지우지 말고 상태를 '오답'으로 바꾸고 이유를 적은 뒤 "
                "정정 답변을 고르세요. 오답은 보관되고 독자에게는 정정 답변이 보입니다.",
            },
        ),
    ]

    @admin.display(description="정정 답변", boolean=True)
    def is_correction(self, answer):
        return answer.is_correction

    def save_edited(self, request, obj, form):
        services.save_answer(answer=obj, correction=form.cleaned_data.get("correction"))

    @admin.action(description="선택한 답변을 채택 (게시글마다 하나)")
    def accept_selected(self, request, queryset):
        answers = list(queryset.select_related("post"))
        if len({a.post_id for a in answers}) != len(answers):
            self.message_user(
                request, "한 게시글에서는 답변 하나만 채택할 수 있습니다.", messages.ERROR
            )
            return
        unpublished = [a for a in answers if a.status != Answer.Status.PUBLISHED]
        if unpublished:
            self.message_user(request, "게시된 답변만 채택할 수 있습니다.", messages.ERROR)
            return
        for answer in answers:
            services.accept_answer(answer=answer)
        self.message_user(request, f"답변 {len(answers)}개를 채택했습니다.", messages.SUCCESS)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion"]
    list_display_links = ["term"]
    search_fields = ["term", "expansion"]
