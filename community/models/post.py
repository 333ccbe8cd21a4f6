"""Posts on the community list, their answers, and tags."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from community.postgres import first_rows
from community.rendered import RenderedMarkdownModel
from guide.models.reference import FormatProfile, HardwareTier, Scenario, in_comparison_order

EXCERPT_LENGTH = 120
RESERVED_SLUGS = ["feed", "tags"]


class TagQuerySet(models.QuerySet):
    def with_published_counts(self):
        """Tags with how many published posts carry them, most used first."""
        # Filtering the links before counting lets PostgreSQL join them to the
        # published-posts index alone: 0.4 s at a million posts, against 1.3 s
        # for a count filtered inside the aggregate, which reads every post row.
        return (
            self.filter(posts__in=Post.objects.published())
            .annotate(post_count=models.Count("posts"))
            .order_by("-post_count", "name")
        )


class TagManager(models.Manager.from_queryset(TagQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Tag(models.Model):
    name = models.CharField("이름", max_length=40, unique=True)
    slug = models.SlugField("슬러그", max_length=40, unique=True, allow_unicode=True)

    objects = TagManager()

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "태그"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:tag_detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


def list_prefetches():
    """The relations a list item shows, for prefetch_related(): as plain lists
    (`post.listed_formats`, `post.listed_tags`), which a template reads without
    building a related manager and a queryset per post."""
    return (
        Prefetch(
            "formats", queryset=FormatProfile.objects.only("name", "slug"), to_attr="listed_formats"
        ),
        Prefetch("tags", queryset=Tag.objects.only("name", "slug"), to_attr="listed_tags"),
    )


def answers_on_record():
    """The post's public and wrong answers, best first, as `post.answers_on_record`
    (`Post.public_answers` and `Post.incorrect_answers` split them)."""
    # The search text is a second copy of the body that pages never show.
    answers = Answer.objects.on_record().best_first().defer("search_text")
    return Prefetch("answers", queryset=answers, to_attr="answers_on_record")


def detail_prefetches():
    """Everything a post's article shows besides its own row, for prefetch_related()
    or, on a post already loaded, prefetch_related_objects() (community/article.py)."""
    # No correction badge annotation: Post.has_correction reads these answers.
    return (
        answers_on_record(),
        "tags",
        Prefetch("formats", queryset=FormatProfile.objects.with_software()),
        Prefetch(
            "hardware_tiers",
            queryset=HardwareTier.objects.select_related("recommended_format", "sized_for"),
        ),
        Prefetch("scenarios", queryset=Scenario.objects.with_details()),
    )


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts a reader may see: published, and not scheduled for later."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """The posts `user` may open: what readers see, and for editors also drafts
        and scheduled posts, which their pages show as a preview."""
        if user.is_active and user.is_staff and user.has_perm("community.change_post"):
            return self.all()
        return self.published()

    def next_publication_date(self):
        """When the earliest post scheduled for later is published, or None."""
        return (
            self.filter(status=Post.Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def tagged(self, tag):
        return self.filter(tags=tag)

    def listed(self, *, kind=None, tag=None):
        """The published posts the list shows, of `kind` and with `tag` if given."""
        posts = self.published()
        if kind:
            posts = posts.of_kind(kind)
        if tag:
            posts = posts.tagged(tag)
        return posts

    def sharing(self, links, post):
        """Other posts linked to one of the records `post` has in `links`
        ("tags" or "formats"; `post`'s own are loaded)."""
        field = Post._meta.get_field(links)
        shared = [record.pk for record in getattr(post, links).all()]
        link_rows = field.remote_field.through.objects.filter(
            post=OuterRef("pk"), **{f"{field.m2m_reverse_field_name()}__in": shared}
        )
        return self.exclude(pk=post.pk).filter(Exists(link_rows))

    def newest_related_to(self, post, count):
        """
        The `count` newest other posts sharing a tag or a format with `post`,
        as a list.

        One query per kind of link, merged here. As one query ("shares a tag
        OR shares a format"), PostgreSQL hashed every post of the format before
        it read the first row: 110 ms at a million posts. Each half alone walks
        the list's index and stops after `count` rows (0.05 ms; bench/explain.py
        shows both plans), or, for a tag used only on old posts, collects its
        posts first (first_rows).
        """
        halves = [self.sharing(links, post).newest_first() for links in ("tags", "formats")]
        found = {p.pk: p for rows in first_rows(halves, count) for p in rows}
        newest = sorted(found.values(), key=lambda p: (p.published_at, p.pk), reverse=True)
        return newest[:count]

    def kind_counts(self):
        """{kind: number of posts} over this queryset."""
        # COUNT(*), not of the id: published posts are then counted from the
        # post_published_kind index without reading a row (0.18 s at a million
        # posts, against 0.7 s for the table).
        return dict(self.order_by().values_list("kind").annotate(n=models.Count("*")))

    def newest_first(self):
        """The list's order; the id breaks ties so that pages never overlap."""
        return self.order_by("-published_at", "-id")

    def for_list(self):
        """What a list item shows, in a fixed number of queries for any page size."""
        public_answers = Answer.objects.public().filter(post=OuterRef("pk"))
        answer_count = (
            public_answers.order_by().values("post").annotate(n=models.Count("pk")).values("n")
        )
        return (
            self.defer("body", "body_html", "search_text")
            .annotate(
                answer_count=Coalesce(models.Subquery(answer_count), 0),
                has_correction=Exists(public_answers.filter(corrects__isnull=False)),
            )
            .prefetch_related(*list_prefetches())
        )

    def for_search(self):
        """`for_list()`, plus the text that result snippets are cut from."""
        return self.for_list().defer(None).defer("body", "body_html")

    def with_answers_on_record(self):
        """Posts with their public and wrong answers loaded in one query
        (`Post.public_answers`, `Post.incorrect_answers` split them)."""
        return self.defer("search_text").prefetch_related(answers_on_record())

    def for_feed(self):
        """What a feed entry shows: the question, its tags and its accepted answer (the
        correction, where one replaced a wrong answer), as `Post.feed_answer`."""
        accepted = Answer.objects.public().filter(is_accepted=True).defer("search_text")
        return self.defer("search_text").prefetch_related(
            Prefetch("tags", queryset=Tag.objects.only("name", "slug"), to_attr="listed_tags"),
            Prefetch("answers", queryset=accepted, to_attr="accepted_answers"),
        )

    def for_detail(self):
        """A post with everything its page and modal show, in a fixed number of queries."""
        return self.defer("search_text").prefetch_related(*detail_prefetches())


class PostManager(models.Manager.from_queryset(PostQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Post(RenderedMarkdownModel):
    class Kind(models.TextChoices):
        QUESTION = "question", "질문"
        DISCUSSION = "discussion", "토론"
        INFO = "info", "정보"

    class Status(models.TextChoices):
        DRAFT = "draft", "초안"
        PUBLISHED = "published", "게시됨"
        ARCHIVED = "archived", "보관됨"
        # A member's question before and after the editors' review (members/).
        PENDING = "pending", "검토 대기"
        REJECTED = "rejected", "반려됨"

    kind = models.CharField("종류", max_length=12, choices=Kind, default=Kind.QUESTION)
    title = models.CharField("제목", max_length=200)
    slug = models.SlugField("슬러그", max_length=200, unique=True, allow_unicode=True)
    body = MarkdownxField("본문")
    body_html = models.TextField(blank=True, editable=False)
    excerpt = models.CharField("요약", max_length=EXCERPT_LENGTH + 1, blank=True, editable=False)
    search_text = models.TextField("검색용 본문", blank=True, editable=False)
    status = models.CharField("상태", max_length=12, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField("게시일", null=True, blank=True)
    author_name = models.CharField("작성자", max_length=80, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name="태그")
    formats = models.ManyToManyField(
        FormatProfile, blank=True, related_name="posts", verbose_name="관련 포맷"
    )
    hardware_tiers = models.ManyToManyField(
        HardwareTier, blank=True, related_name="posts", verbose_name="관련 하드웨어 구간"
    )
    scenarios = models.ManyToManyField(
        Scenario, blank=True, related_name="posts", verbose_name="관련 시나리오"
    )
    created_at = models.DateTimeField("작성일", auto_now_add=True)
    updated_at = models.DateTimeField("수정일", auto_now=True)
    history = HistoricalRecords(m2m_fields=[tags, formats, hardware_tiers, scenarios])

    objects = PostManager()

    rendered_fields = (("body", "body_html"),)
    searched_fields = ("body",)
    # Whether and when readers see the post. A revert in the admin restores the
    # post's content and keeps these as they are now.
    workflow_fields = ("status", "published_at")

    # A search result carries its title and snippet with the match marked, and
    # where it matched (community/search.py); every other list shows the plain
    # title and excerpt.
    title_html = snippet_html = found_in_html = None

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "게시글"
        indexes = [
            # Matches the list's filter and order, so a page is an index range scan.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published"),
                name="post_published_newest",
            ),
            # The list's kind filters count from this index alone (kind_counts).
            models.Index(
                fields=["kind", "published_at"],
                condition=Q(status="published"),
                name="post_published_kind",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_post_has_date",
                violation_error_message="게시된 글에는 게시일이 있어야 합니다.",
            ),
            # /community/tags/ holds the tag pages, /community/feed/ the feeds.
            models.CheckConstraint(
                condition=~Q(slug__in=RESERVED_SLUGS),
                name="post_slug_not_reserved",
                violation_error_message="'tags'와 'feed'는 태그 페이지와 피드의 주소라서 "
                "슬러그로 쓸 수 없습니다.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Before the constraint that a published post has a date is checked.
        self._date_if_published_now()

    def save(self, *args, **kwargs):
        self._date_if_published_now()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("community:post_detail", kwargs={"slug": self.slug})

    def get_modal_url(self):
        return reverse("community:post_modal", kwargs={"slug": self.slug})

    def get_history_url(self):
        return reverse("community:post_history", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    def _date_if_published_now(self):
        """A post published without a date is published now."""
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def refresh_rendered_fields(self):
        super().refresh_rendered_fields()
        # A post's search text is its body's (searched_fields), the excerpt's source.
        self.excerpt = Truncator(self.search_text).chars(EXCERPT_LENGTH)

    @classmethod
    def derived_field_names(cls):
        return [*super().derived_field_names(), "excerpt"]

    @property
    def is_live(self):
        """Readers see it: published, and its date has come (`PostQuerySet.published()`)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    # The properties below read what `for_detail()` prefetched.

    @cached_property
    def public_answers(self):
        """The answers readers read, the accepted (corrected) one first."""
        self._link_corrections()
        return [a for a in self.answers_on_record if a.is_public]

    @cached_property
    def incorrect_answers(self):
        """The answers judged wrong, kept for readers to audit, oldest first."""
        self._link_corrections()
        return [a for a in self.answers_on_record if a.is_incorrect]

    def _link_corrections(self):
        # Each side of a correction learns the other from the answers already
        # loaded: no query per answer.
        by_pk = {a.pk: a for a in self.answers_on_record}
        for answer in self.answers_on_record:
            answer.corrected_answer = by_pk.get(answer.corrects_id)
            answer.correcting_answer = None
        for answer in self.answers_on_record:
            if answer.corrected_answer is not None and answer.is_public:
                answer.corrected_answer.correcting_answer = answer

    @cached_property
    def has_correction(self):
        """A correction replaced a wrong answer. Lists annotate it (`for_list()`), which
        takes the place of this property; a post page derives it from its answers."""
        return any(answer.is_correction for answer in self.public_answers)

    @property
    def feed_answer(self):
        """The accepted answer `for_feed()` loaded, or None."""
        return next(iter(self.accepted_answers), None)

    @property
    def accepted_answer(self):
        return next((a for a in self.public_answers if a.is_accepted), None)

    @property
    def awaits_answer(self):
        return self.kind == self.Kind.QUESTION and not self.public_answers

    @property
    def presents_comparison(self):
        """True when every format the post presents is in the comparison table, which then
        stands in for the mapping chart."""
        formats = self.formats.all()
        return bool(formats) and all(f.comparison_order is not None for f in formats)

    @property
    def comparison_formats(self):
        return in_comparison_order(self.formats.all())


class AnswerQuerySet(models.QuerySet):
    def public(self):
        """Answers a reader reads as answers; incorrect, superseded and draft answers never
        are. Lists count these, and search finds only these."""
        return self.filter(status=Answer.Status.PUBLISHED)

    def on_record(self):
        """What a post's page shows: its public answers, and the wrong ones, kept and
        marked so that readers can check a correction. Drafts and superseded answers
        stay with the editors."""
        return self.filter(status__in=[Answer.Status.PUBLISHED, Answer.Status.INCORRECT])

    def best_first(self):
        """The accepted answer first, then the rest oldest first."""
        return self.order_by("-is_accepted", "published_at", "id")

    def candidates_to_correct(self, wrong):
        """Answers that may replace `wrong`: to the same post, not wrong or replaced
        themselves, not another answer's correction, and citing their source,
        since readers are told a correction does."""
        return (
            self.filter(post=wrong.post_id)
            .exclude(pk=wrong.pk)
            .exclude(status__in=[Answer.Status.INCORRECT, Answer.Status.SUPERSEDED])
            .exclude(source_label="", source_url="")
            .filter(Q(corrects__isnull=True) | Q(corrects=wrong.pk))
        )


class AnswerManager(models.Manager.from_queryset(AnswerQuerySet)):
    def get_by_natural_key(self, uid):
        return self.get(uid=uid)


class Answer(RenderedMarkdownModel):
    class Status(models.TextChoices):
        PUBLISHED = "published", "게시됨"
        INCORRECT = "incorrect", "오답"
        SUPERSEDED = "superseded", "대체됨"
        DRAFT = "draft", "초안"
        # A member's answer before and after the editors' review (members/).
        PENDING = "pending", "검토 대기"
        REJECTED = "rejected", "반려됨"

    # A stable identity for fixtures and backups: answers have no name to be found by.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="answers", verbose_name="게시글"
    )
    body = MarkdownxField("답변")
    body_html = models.TextField(blank=True, editable=False)
    search_text = models.TextField("검색용 본문", blank=True, editable=False)
    status = models.CharField("상태", max_length=12, choices=Status, default=Status.DRAFT)
    is_accepted = models.BooleanField("채택", default=False)
    author_name = models.CharField("작성자", max_length=80, blank=True)
    source_label = models.CharField("출처", max_length=120, blank=True)
    source_url = models.URLField("출처 URL", max_length=500, blank=True)
    editor_note = models.TextField(
        "편집자 메모", blank=True, help_text="오답으로 판정한 이유. 오답에는 반드시 적습니다."
    )
    # A correction points at the answer it replaces; the wrong one stays, marked,
    # and cannot be deleted on its own while a correction refers to it.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="정정 대상 답변",
    )
    published_at = models.DateTimeField("답변일", default=timezone.now)
    marked_incorrect_at = models.DateTimeField("오답 판정일", null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AnswerManager()

    rendered_fields = (("body", "body_html"),)
    searched_fields = ("body",)
    # What the correction services decide (community/services.py). A revert in
    # the admin restores an answer's text and source, never these.
    workflow_fields = (
        "status",
        "is_accepted",
        "corrects",
        "editor_note",
        "published_at",
        "marked_incorrect_at",
    )

    class Meta:
        ordering = ["post", "-is_accepted", "published_at", "id"]
        verbose_name = verbose_name_plural = "답변"
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(is_accepted=True),
                name="one_accepted_answer_per_post",
                violation_error_message="한 게시글에는 채택된 답변이 하나만 있을 수 있습니다.",
            ),
            models.CheckConstraint(
                condition=Q(is_accepted=False) | Q(status="published"),
                name="accepted_answer_is_published",
                violation_error_message="게시된 답변만 채택할 수 있습니다.",
            ),
            models.CheckConstraint(
                condition=~Q(status="incorrect") | ~Q(editor_note=""),
                name="incorrect_answer_has_note",
                violation_error_message="오답으로 표시하려면 편집자 메모에 이유를 적어 주세요.",
            ),
        ]

    def __str__(self):
        # Editors pick answers by this name (the correction picker, the list):
        # two answers to one post differ by their first words and their date.
        opening = Truncator(self.search_text or self.body).words(6, truncate="…")
        day = date_format(timezone.localtime(self.published_at), "Y-m-d")
        return f"“{opening}” ({day}, {self.get_status_display()})"

    def clean(self):
        if self.corrects_id is not None:
            if self.corrects_id == self.pk:
                raise ValidationError({"corrects": "답변은 자기 자신을 정정할 수 없습니다."})
            if self.corrects.post_id != self.post_id:
                raise ValidationError({"corrects": "같은 게시글의 답변만 정정할 수 있습니다."})

    def get_absolute_url(self):
        return self.post.get_absolute_url() + f"#answer-{self.uid}"

    def natural_key(self):
        return (str(self.uid),)

    @property
    def is_correction(self):
        return self.corrects_id is not None

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    def follow_status(self):
        """Set what the status decides: only a published answer stays accepted, and
        an incorrect one keeps the date it was marked (now, the first time)."""
        if not self.is_public:
            self.is_accepted = False
        if not self.is_incorrect:
            self.marked_incorrect_at = None
        elif self.marked_incorrect_at is None:
            self.marked_incorrect_at = timezone.now()

    @property
    def is_incorrect(self):
        return self.status == self.Status.INCORRECT

    def check_can_correct(self, wrong):
        """Raise ValidationError unless this answer, as saved, may replace the `wrong`
        one: the rules are `AnswerQuerySet.candidates_to_correct()`."""
        if not Answer.objects.candidates_to_correct(wrong).filter(pk=self.pk).exists():
            raise ValidationError(
                "정정 답변은 같은 게시글의, 오답이나 대체된 답변이 아니고 다른 답변을 정정하고 "
                "있지 않으며 출처가 적힌 답변이어야 합니다."
            )
