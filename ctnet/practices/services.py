"""Every write of the practice library: one function each, atomic, with its audit row.

Callers check the shape of the input; these functions check the policy and the workflow again,
so that the API, the pages and the CLI cannot differ. Refusals: ``PermissionDenied`` (403),
``ValidationError`` (400), ``InvalidTransition`` (409: the practice is not in a state that allows
this).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit, remarking
from ctnet.core.conflicts import Conflict
from ctnet.core.models import Organisation, User
from ctnet.practices import fulltext
from ctnet.practices.models import (
    Endorsement,
    Practice,
    PracticeComment,
    PracticeVersion,
    SearchIndexState,
)
from ctnet.practices.policy import policy
from ctnet.practices.similarity import Neighbour, near_duplicates
from ctnet.practices.tasks import embed_practice
from ctnet.practices.validation import (
    PRACTICE_TLP,
    PracticeData,
    resolve_organisations,
)
from ctnet.practices.vocab import Status

MAX_NOTE = 500
MAX_COMMENT = 4000


class InvalidTransition(Conflict):
    """The practice's state does not allow this step (answered with 409 and the message)."""


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    by: str  # "author" (the originating organisation) or "secretariat"


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({Status.DRAFT, Status.REVIEWED}), Status.SUBMITTED, "author"),
    "review": Transition(frozenset({Status.SUBMITTED}), Status.REVIEWED, "secretariat"),
    "publish": Transition(
        frozenset({Status.SUBMITTED, Status.REVIEWED}), Status.PUBLISHED, "secretariat"
    ),
    "withdraw": Transition(frozenset({Status.SUBMITTED, Status.REVIEWED}), Status.DRAFT, "author"),
    "archive": Transition(frozenset({Status.PUBLISHED}), Status.ARCHIVED, "secretariat"),
}
EDITABLE = frozenset({Status.DRAFT, Status.REVIEWED})


@dataclass(frozen=True)
class TransitionResult:
    practice: Practice
    duplicates: list[Neighbour]


def _apply(practice: Practice, data: PracticeData) -> None:
    for name in (
        "title",
        "summary",
        "body",
        "language",
        "themes",
        "regions",
        "period_start",
        "period_end",
        "outcomes",
        "contact_reference",
        "tlp",
        "handling",
        "handling_note",
    ):
        setattr(practice, name, getattr(data, name))


def _after_write(practice: Practice, *, content_changed: bool) -> None:
    """Keep both search indexes in step with the row; inside the writing transaction."""
    fulltext.index_practice(practice)
    SearchIndexState.bump()
    if content_changed:
        pk = practice.pk
        transaction.on_commit(lambda: embed_practice.enqueue(pk))


def _save_version(practice: Practice, data: PracticeData, user: User) -> None:
    PracticeVersion.objects.create(
        practice=practice, number=practice.version, content=data.content(), edited_by=user
    )


def create_practice(
    *, acting_user: User, data: PracticeData, origin: Organisation | None = None
) -> Practice:
    """A new draft of the acting user's organisation (or of ``origin``, for the secretariat)."""
    if not policy.can_author_practice(acting_user):
        raise PermissionDenied(_("Your role may not write practices."))
    membership = acting_user.active_membership
    assert membership is not None  # can_author_practice holds only for members
    foreign = origin is not None and origin.pk != membership.organisation_id
    if foreign and not policy.can_import_practices(acting_user):
        raise PermissionDenied(_("Only the secretariat records practices for others."))
    recipients = resolve_organisations(data.recipient_codes)
    with transaction.atomic():
        practice = Practice(originator=origin or membership.organisation, created_by=acting_user)
        _apply(practice, data)
        practice.save()
        practice.recipient_orgs.set(recipients)
        _save_version(practice, data, acting_user)
        _after_write(practice, content_changed=True)
        audit.record(
            "practice.create",
            actor=acting_user,
            obj=practice,
            detail={"tlp": practice.tlp, "language": practice.language},
        )
    return practice


def update_practice(*, acting_user: User, practice: Practice, data: PracticeData) -> Practice:
    if not policy.can_edit_practice(acting_user, practice):
        raise PermissionDenied(_("Only the originating organisation edits a practice."))
    recipients = resolve_organisations(data.recipient_codes)
    with transaction.atomic():
        locked = Practice.objects.select_for_update().get(pk=practice.pk)
        if locked.status not in EDITABLE:
            raise InvalidTransition(
                _("A %(status)s practice cannot be edited; withdraw it to a draft first.")
                % {"status": locked.get_status_display()}
            )
        old = {"title": locked.title, "summary": locked.summary, "body": locked.body}
        _apply(locked, data)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        locked.recipient_orgs.set(recipients)
        _save_version(locked, data, acting_user)
        changed = old != {"title": locked.title, "summary": locked.summary, "body": locked.body}
        _after_write(locked, content_changed=changed)
        audit.record(
            "practice.update",
            actor=acting_user,
            obj=locked,
            detail={"version": locked.version, "tlp": locked.tlp},
        )
    return locked


def _check_transition(user: User, practice: Practice, action: str) -> Transition:
    step = TRANSITIONS.get(action)
    if step is None:
        raise ValidationError(
            _("Unknown action %(action)r: use one of %(actions)s.")
            % {"action": action, "actions": ", ".join(TRANSITIONS)}
        )
    allowed = (
        policy.can_review_practices(user)
        if step.by == "secretariat"
        else policy.can_edit_practice(user, practice)
    )
    if not allowed:
        raise PermissionDenied(
            _("Your role may not %(action)s this practice.") % {"action": action}
        )
    if practice.status not in step.sources:
        raise InvalidTransition(
            _("A %(status)s practice cannot be sent to '%(action)s'.")
            % {"status": practice.get_status_display(), "action": action}
        )
    return step


def transition_practice(
    *, acting_user: User, practice: Practice, action: str, comment: str = ""
) -> TransitionResult:
    """Move a practice along the workflow; submitting also reports near-duplicates."""
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            _("The comment is too long (at most %(n)d characters).") % {"n": MAX_COMMENT}
        )
    with transaction.atomic():
        locked = Practice.objects.select_for_update().get(pk=practice.pk)
        step = _check_transition(acting_user, locked, action)
        if action == "review" and not comment:
            raise ValidationError(_("A review sends comments back to the author: write them."))
        previous = locked.status
        locked.status = step.target
        locked.updated_at = timezone.now()
        if action == "review":
            locked.review_comment = comment
            locked.reviewed_by = acting_user
        if action == "publish":
            locked.published_at = timezone.now()
        locked.save()
        _after_write(locked, content_changed=False)
        audit.record(
            f"practice.{action}",
            actor=acting_user,
            obj=locked,
            # The comment is content: the row says that one was written, not what it says.
            detail={"from": previous, "to": locked.status, "comment_chars": len(comment)},
        )
    duplicates = near_duplicates(acting_user, locked) if action == "submit" else []
    return TransitionResult(locked, duplicates)


def change_practice_marking(
    *, acting_user: User, practice: Practice, tlp: str, handling: list[str]
) -> Practice:
    """Raise (any reader) or lower (the originating organisation only) a practice's marking
    (core's ``change_marking``); the library's search index follows the new marking."""
    if tlp not in PRACTICE_TLP:
        raise ValidationError(_("A practice is marked TLP:CLEAR, TLP:GREEN or TLP:AMBER."))

    def touch(locked: Practice) -> list[str]:
        locked.updated_at = timezone.now()
        SearchIndexState.bump()
        return ["updated_at"]

    return remarking.change_marking(
        acting_user=acting_user,
        obj=practice,
        tlp=tlp,
        handling=handling,
        action="practice.marking",
        on_change=touch,
    )


def endorse_practice(*, acting_user: User, practice: Practice, note: str) -> Endorsement:
    if not policy.can_endorse_practice(acting_user, practice):
        raise PermissionDenied(_("Only another member state says it applied a practice."))
    note = (note or "").strip()
    if not note or len(note) > MAX_NOTE:
        raise ValidationError(
            _("Say in one short note (1 to %(n)d characters) how you applied it.") % {"n": MAX_NOTE}
        )
    if practice.status != Status.PUBLISHED:
        raise InvalidTransition(_("Only a published practice can be endorsed."))
    membership = acting_user.active_membership
    assert membership is not None
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                practice=practice, organisation=membership.organisation, user=acting_user, note=note
            )
            audit.record(
                "practice.endorse",
                actor=acting_user,
                obj=practice,
                detail={"endorsement": endorsement.pk},
            )
    except IntegrityError:
        raise InvalidTransition(
            _("Your organisation has already endorsed this practice.")
        ) from None
    return endorsement


def comment_on_practice(*, acting_user: User, practice: Practice, body: str) -> PracticeComment:
    if not policy.can_comment_practice(acting_user):
        raise PermissionDenied
    body = (body or "").strip()
    if not body or len(body) > MAX_COMMENT:
        raise ValidationError(_("A comment has 1 to %(n)d characters.") % {"n": MAX_COMMENT})
    membership = acting_user.active_membership
    assert membership is not None
    with transaction.atomic():
        comment = PracticeComment.objects.create(
            practice=practice, author=acting_user, organisation=membership.organisation, body=body
        )
        audit.record("practice.comment", actor=acting_user, obj=practice, detail={"id": comment.pk})
    return comment
