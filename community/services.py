"""Editorial workflows that touch several rows at once."""

from django.db import transaction
from django.utils import timezone

from community.models import Answer


@transaction.atomic
def mark_answer_incorrect(*, answer: Answer, note: str, correction: Answer | None = None) -> Answer:
    """
    Mark `answer` as incorrect, keeping it, with the editors' `note` on why.

    When a `correction` (an answer to the same post) is given, it is linked to
    the wrong answer, published and accepted in its place, so readers see the
    corrected answer from the next request on. Returns the wrong answer.
    A correction that may not replace it (Answer.check_can_correct) is a
    ValidationError, and nothing is changed.
    """
    if correction is not None:
        correction.check_can_correct(answer)
    answer.status = Answer.Status.INCORRECT
    answer.editor_note = note
    answer.is_accepted = False
    answer.full_clean()
    answer.save()
    if correction is not None:
        correction.corrects = answer
        if correction.status != Answer.Status.PUBLISHED:
            # A draft is published by this correction, now: the date it was
            # drafted on would date the correction before the answer it corrects.
            correction.published_at = timezone.now()
            correction.status = Answer.Status.PUBLISHED
        accept_answer(answer=correction)
    return answer


@transaction.atomic
def accept_answer(*, answer: Answer) -> Answer:
    """Make `answer` its post's one accepted answer, un-accepting any other."""
    # Saved one by one (there is at most one) so that the change is in its history.
    for previous in Answer.objects.filter(post=answer.post_id, is_accepted=True).exclude(
        pk=answer.pk
    ):
        previous.is_accepted = False
        previous.save()
    answer.is_accepted = True
    answer.full_clean()
    answer.save()
    return answer
