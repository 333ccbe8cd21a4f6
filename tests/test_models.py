import importlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community import services
from community.models import Answer, Post, Tag
from tests.factories import make_answer, make_correction, make_post, make_tag


def test_body_html_and_excerpt_are_made_at_save(db):
    post = make_post(body="## 제목\n\n**굵게** 쓴 본문입니다. <script>x</script>")
    assert "<strong>굵게</strong>" in post.body_html
    assert "<script" not in post.body_html
    assert post.excerpt.startswith("제목 굵게 쓴 본문입니다.")


def test_search_text_is_the_text_readers_see_made_at_save(db):
    post = make_post(body="**WSL2**를 [쓰세요](https://example.com/x).\n\n`a < b`")
    assert post.search_text == "WSL2를 쓰세요. a < b"
    answer = make_answer(post, body="*기울임*과 **굵게**")
    assert answer.search_text == "기울임과 굵게"
    answer.body = "바뀐 답"
    answer.save(update_fields=["body"])
    answer.refresh_from_db()
    assert answer.search_text == "바뀐 답"


def test_reverting_to_a_revision_makes_its_search_text_again(db):
    post = make_post(body="**처음** 본문")
    post.body = "나중 본문"
    post.save()
    # Revisions made before migration 0012 have no search text.
    post.history.update(search_text="")
    post.history.earliest().instance.save()
    post.refresh_from_db()
    assert post.search_text == "처음 본문"


def test_excerpts_show_characters_not_their_references(db):
    post = make_post(body="`vector<int>` 와 Q4 & Q5 비교")
    assert post.excerpt == "vector<int> 와 Q4 & Q5 비교"


def test_update_fields_saves_the_html_too(db):
    post = make_post(body="처음")
    post.body = "**나중**"
    post.save(update_fields=["body"])
    post.refresh_from_db()
    assert "<strong>나중</strong>" in post.body_html


def test_publishing_stamps_the_date(db):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    assert post.published_at is None
    post.status = Post.Status.PUBLISHED
    post.save()
    assert post.published_at is not None


def test_the_database_refuses_a_second_accepted_answer(db):
    post = make_post()
    make_answer(post, is_accepted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(post=post, body="둘째", status="published", is_accepted=True)


def test_the_database_refuses_an_incorrect_answer_without_a_note(db):
    post = make_post()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(post=post, body="틀림", status="incorrect", editor_note="")


def test_the_database_refuses_an_accepted_answer_that_is_not_published(db):
    post = make_post()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(post=post, body="초안", status="draft", is_accepted=True)


def test_published_excludes_drafts_archived_and_scheduled_posts(db):
    from datetime import timedelta

    from django.utils import timezone

    visible = make_post()
    make_post(status=Post.Status.DRAFT, published_at=None)
    make_post(status=Post.Status.ARCHIVED)
    make_post(published_at=timezone.now() + timedelta(days=1))
    assert list(Post.objects.published()) == [visible]


def test_public_answers_never_include_incorrect_superseded_or_drafts(db):
    post = make_post()
    good = make_answer(post)
    make_answer(post, status="incorrect", editor_note="틀림")
    make_answer(post, status="superseded")
    make_answer(post, status="draft")
    assert list(Answer.objects.public()) == [good]
    detail = Post.objects.for_detail().get(pk=post.pk)
    assert detail.public_answers == [good]


def test_marking_incorrect_keeps_the_answer_and_accepts_the_correction(db):
    post = make_post()
    wrong = make_answer(post, is_accepted=True, body="AWQ가 정답입니다")
    correction = make_correction(post, body="하드웨어에 따라 다릅니다")

    services.mark_answer_incorrect(
        answer=wrong, note="여기까지 내용은 명백히 오답입니다.", correction=correction
    )

    wrong.refresh_from_db()
    correction.refresh_from_db()
    assert wrong.status == Answer.Status.INCORRECT and not wrong.is_accepted
    assert wrong.body == "AWQ가 정답입니다"  # kept, not overwritten
    assert correction.is_accepted and correction.status == Answer.Status.PUBLISHED
    assert correction.corrects == wrong
    detail = Post.objects.for_detail().get(pk=post.pk)
    assert detail.public_answers == [correction]
    assert detail.has_correction


def test_a_draft_correction_is_dated_when_it_is_published(db):
    post = make_post()
    wrong = make_answer(post, published_at=timezone.now() - timedelta(days=3))
    drafted = make_correction(post, published_at=timezone.now() - timedelta(days=20))
    before = timezone.now()
    services.mark_answer_incorrect(answer=wrong, note="틀림", correction=drafted)
    drafted.refresh_from_db()
    assert drafted.published_at >= before

    # An answer readers could already see keeps its date.
    other_post = make_post()
    wrong = make_answer(other_post)
    shown_since = timezone.now() - timedelta(days=1)
    published = make_correction(other_post, status="published", published_at=shown_since)
    services.mark_answer_incorrect(answer=wrong, note="틀림", correction=published)
    published.refresh_from_db()
    assert published.published_at == shown_since


def test_marking_incorrect_needs_a_note(db):
    wrong = make_answer(make_post())
    with pytest.raises(ValidationError):
        services.mark_answer_incorrect(answer=wrong, note="")


def test_a_correction_must_belong_to_the_same_post(db):
    wrong = make_answer(make_post(), status="incorrect", editor_note="틀림")
    elsewhere = make_answer(make_post(), corrects=wrong)
    with pytest.raises(ValidationError):
        elsewhere.full_clean()


def _corrected(post):
    """A wrong answer on `post` and the correction already linked to it."""
    wrong = make_answer(post, is_accepted=True)
    correction = make_correction(post)
    services.mark_answer_incorrect(answer=wrong, note="틀림", correction=correction)
    return wrong, correction


@pytest.mark.parametrize(
    "case",
    ["itself", "another post", "incorrect", "superseded", "already a correction", "no source"],
)
def test_a_correction_that_may_not_replace_the_answer_changes_nothing(db, case):
    post = make_post()
    wrong = make_answer(post)
    correction = make_correction(post)
    if case == "itself":
        correction = wrong
    elif case == "another post":
        correction = make_correction(make_post())
    elif case in ("incorrect", "superseded"):
        correction = make_correction(post, status=case, editor_note="틀림")
    elif case == "already a correction":
        _first_wrong, correction = _corrected(post)
    elif case == "no source":
        correction = make_correction(post, source_label="")
    before = {a.pk: (a.status, a.is_accepted, a.corrects_id) for a in Answer.objects.all()}

    with pytest.raises(ValidationError):
        services.mark_answer_incorrect(answer=wrong, note="틀림", correction=correction)

    after = {a.pk: (a.status, a.is_accepted, a.corrects_id) for a in Answer.objects.all()}
    assert after == before


def test_only_answers_that_may_replace_it_are_offered_as_corrections(db):
    post = make_post()
    first_wrong, first_correction = _corrected(post)
    wrong = make_answer(post)
    draft = make_correction(post)
    make_correction(post, source_label="")
    make_answer(post, status="superseded")
    make_answer(make_post())
    assert list(Answer.objects.candidates_to_correct(wrong)) == [draft]
    # Its own correction stays on offer to an answer already corrected.
    assert first_correction in Answer.objects.candidates_to_correct(first_wrong)


def test_accepting_an_answer_withdraws_the_previous_acceptance(db):
    post = make_post()
    first = make_answer(post, is_accepted=True)
    second = make_answer(post)
    services.accept_answer(answer=second)
    first.refresh_from_db()
    assert not first.is_accepted
    assert Answer.objects.get(post=post, is_accepted=True) == second


def test_tag_counts_are_of_published_posts_only(db):
    common, rare, unpublished = make_tag(), make_tag(), make_tag()
    for _ in range(2):
        make_post().tags.add(common)
    make_post().tags.add(common, rare)
    make_post(status=Post.Status.DRAFT).tags.add(common, unpublished)
    make_post(published_at=timezone.now() + timedelta(days=1)).tags.add(unpublished)

    counted = Tag.objects.with_published_counts()
    assert [(tag, tag.post_count) for tag in counted] == [(common, 3), (rare, 1)]


def test_the_search_text_migration_fills_rows_saved_before_it(db):
    from types import SimpleNamespace

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    migration = importlib.import_module("community.migrations.0012_search_text")
    # The models as the migration knew them: the reference records were community's then.
    apps = MigrationLoader(connection).project_state(("community", "0012_search_text")).apps
    post = make_post(body="**WSL2**를 쓰세요")
    answer = make_answer(post, body="`Q4_K_M`으로")
    Post.objects.update(search_text="")
    Answer.objects.update(search_text="")
    migration.fill_search_text(apps, SimpleNamespace(connection=connection))
    post.refresh_from_db()
    answer.refresh_from_db()
    assert (post.search_text, answer.search_text) == ("WSL2를 쓰세요", "Q4_K_M으로")
