"""Moderation: reports, automatic hiding after N reports (``CONSULTATIONS_AUTOHIDE_REPORTS``)
pending a moderator, the author told, an appeal, and the moderator's decision.

The author of an identified or pseudonymous input is told by e-mail (that an input of theirs was
hidden, never which or where); the sender of an anonymous input sees it with their receipt,
and appeals with it, since nothing else reaches them.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.consultations.models import Moderation, Report, Submission
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState
from ctnet.consultations.services.submitting import untraced
from ctnet.core import audit
from ctnet.core.models import User

MIN_TEXT = 10


def _text(raw: str, what: str) -> str:
    text = raw.strip()
    if len(text) < MIN_TEXT:
        raise ValidationError(
            _("Say why (%(what)s, at least %(n)d characters).") % {"what": what, "n": MIN_TEXT}
        )
    return text[:500]


@transaction.atomic
def report_input(*, acting_user: User, submission: Submission, reason: str) -> Submission:
    if not policy.can_report(acting_user, submission):
        raise PermissionDenied(_("You may not report this input."))
    reason = _text(reason, _("the report"))
    try:
        with transaction.atomic():
            Report.objects.create(
                submission=submission,
                reporter=acting_user,
                reason=reason,
                reported_on=timezone.localdate(),
            )
    except IntegrityError:
        raise WrongState(_("You have already reported this input.")) from None
    audit.record("consultations.input_reported", actor=acting_user, obj=submission)
    count = submission.reports.count()
    if (
        not submission.hidden
        and not submission.moderation
        and (count >= settings.CONSULTATIONS_AUTOHIDE_REPORTS)
    ):
        submission.hidden = True
        submission.save(update_fields=["hidden"])
        audit.record("consultations.input_hidden", obj=submission, detail={"reports": count})
        if submission.author_id is not None:
            from ctnet.consultations.notices import tell_author

            author_id = submission.author_id
            transaction.on_commit(lambda: tell_author.enqueue(author_id, "hidden"))
    return submission


@transaction.atomic
def appeal(*, submission: Submission, text: str, acting_user: User | None = None) -> Submission:
    """The author appeals a hiding: signed in for their own input, or with the receipt."""
    if acting_user is not None and submission.author_id != acting_user.pk:
        raise PermissionDenied(_("Only the author may appeal."))
    if not submission.hidden:
        raise WrongState(_("There is nothing to appeal."))
    if submission.appeal:
        raise WrongState(_("This input has already been appealed."))
    submission.appeal = _text(text, _("the appeal"))
    submission.save(update_fields=["appeal"])
    # An anonymous sender's appeal is audited like their submission: someone, not who.
    with untraced() if submission.author_id is None else contextlib.nullcontext():
        audit.record(
            "consultations.appealed",
            actor=acting_user if submission.author_id is not None else None,
            obj=submission,
        )
    return submission


@transaction.atomic
def moderate(*, acting_user: User, submission: Submission, decision: str) -> Submission:
    """Reinstate the input, or remove it for good (it stays counted, hidden from everyone)."""
    if not policy.can_manage(acting_user, submission.consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if decision not in Moderation.values:
        raise ValidationError(_("Reinstate or remove."))
    if not submission.hidden and not submission.reports.exists():
        raise WrongState(_("This input has not been reported."))
    submission.moderation = decision
    submission.hidden = decision == Moderation.REMOVED
    submission.save(update_fields=["moderation", "hidden"])
    audit.record(
        "consultations.moderated", actor=acting_user, obj=submission, detail={"to": decision}
    )
    if submission.author_id is not None:
        from ctnet.consultations.notices import tell_author

        author_id = submission.author_id
        transaction.on_commit(lambda: tell_author.enqueue(author_id, decision))
    return submission
