"""
Editorial workflows that touch several rows at once.

An answer's status, its acceptance and its correction link change here and
nowhere else: the admin's answer page, its inline under a post and its revert
page all call these functions, so "a wrong answer loses its acceptance" or "a
correction is published and accepted" hold however an editor gets there.
"""

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
    answer.follow_status()
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


@transaction.atomic
def save_answer(*, answer: Answer, correction: Answer | None = None) -> Answer:
    """
    Save an answer an editor changed, with the workflow its status asks for.

    The status on `answer` is the one the editor chose. "Incorrect" runs
    `mark_answer_incorrect` (with the editors' note and the optional
    `correction`); any other status settles acceptance and the date it was
    marked (`Answer.follow_status`). The text and the other fields are saved
    as they are.
    """
    if answer.is_incorrect:
        return mark_answer_incorrect(answer=answer, note=answer.editor_note, correction=correction)
    answer.follow_status()
    answer.full_clean()
    answer.save()
    return answer
