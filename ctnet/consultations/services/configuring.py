"""Opening a consultation and moving its window: draft -> open -> closed -> synthesis ->
response published. Each move is checked here, on the server; the pages only offer it."""

from __future__ import annotations

import random
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.consultations.models import (
    NEXT_STATUS,
    Answer,
    Audience,
    Consultation,
    Mode,
    Question,
    QuestionKind,
    Report,
    Status,
    SubjectKind,
    Submission,
)
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState
from ctnet.core import audit
from ctnet.core.capabilities import subject_kinds
from ctnet.core.models import Organisation, OrgKind, UNGroup, User
from ctnet.core.policy import acting_org

LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")
MAX_QUESTIONS = 50
MAX_CHOICES = 20


def _clean_question(position: int, raw: dict[str, Any], mode: str) -> Question:
    kind = raw.get("kind")
    text = str(raw.get("text") or "").strip()
    if kind not in QuestionKind.values:
        raise ValidationError(_("Question %(n)d: unknown kind.") % {"n": position})
    if not text or len(text) > 500:
        raise ValidationError(
            _("Question %(n)d: the text is required (at most 500 characters).") % {"n": position}
        )
    choices = [str(c).strip() for c in raw.get("choices") or [] if str(c).strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if not 2 <= len(choices) <= MAX_CHOICES or len(set(choices)) != len(choices):
            raise ValidationError(
                _("Question %(n)d: give between 2 and %(max)d different choices.")
                % {"n": position, "max": MAX_CHOICES}
            )
    else:
        choices = []
    unique = bool(raw.get("unique_answer"))
    if unique and mode == Mode.ANONYMOUS:
        # A field whose answer must differ between senders identifies each sender.
        raise ValidationError(
            _(
                "Question %(n)d asks for an answer unique to each sender, which would identify "
                "them: an anonymous consultation cannot have it."
            )
            % {"n": position}
        )
    if unique and kind != QuestionKind.TEXT:
        raise ValidationError(
            _("Question %(n)d: only a free-text question can require a unique answer.")
            % {"n": position}
        )
    return Question(
        position=position,
        kind=kind,
        text=text,
        choices=choices,
        required=bool(raw.get("required")) or unique,
        unique_answer=unique,
    )


def _clean_audience(data: dict[str, Any]) -> tuple[str, str, list[Organisation]]:
    audience = data.get("audience")
    if audience not in Audience.values:
        raise ValidationError(_("Choose an audience."))
    region = str(data.get("region") or "")
    orgs: list[Organisation] = []
    if audience == Audience.REGION and region not in UNGroup.values:
        raise ValidationError(_("Choose the region of the audience."))
    if audience == Audience.NAMED:
        codes = sorted({str(c).strip().upper() for c in data.get("named_orgs") or []})
        orgs = list(Organisation.objects.filter(code__in=codes, kind=OrgKind.CIVIL_SOCIETY))
        unknown = sorted(set(codes) - {o.code for o in orgs})
        if unknown or not codes:
            raise ValidationError(
                _("Name civil-society organisations by their codes; unknown: %(codes)s.")
                % {"codes": ", ".join(unknown) or "-"}
            )
    if audience == Audience.PUBLIC and data.get("mode") != Mode.ANONYMOUS:
        # Nobody without an account can be identified, and an alias would be kept per link
        # holder, not per person: the public takes part anonymously or not at all.
        raise ValidationError(
            _(
                "A consultation open to the public through a link takes anonymous inputs only: "
                "people without an account can be neither identified nor given an alias."
            )
        )
    if audience != Audience.REGION:
        region = ""
    return audience, region, orgs


def _clean_subject(user: User, data: dict[str, Any]) -> tuple[str, int | None]:
    """The subject's text and, where it is held in the platform, its id: a thing of the kind
    consulted on that the person opening the consultation may see. Left blank, the text is the
    thing's title."""
    kind = data.get("subject_kind")
    if kind not in SubjectKind.values:
        raise ValidationError(_("Choose what kind of text is consulted on."))
    subject = str(data.get("subject") or "").strip()
    ref, ref_id = data.get("subject_ref"), None
    if ref is not None:
        offered = subject_kinds().get(str(kind))
        if offered is None:
            raise ValidationError(
                _("This kind of text is not held in the platform: give a link to it instead.")
            )
        found = offered.find(user, int(ref)) if isinstance(ref, int) and ref > 0 else None
        if found is None:
            raise ValidationError(
                _("%(kind)s: none with the id %(id)s that you may see.")
                % {"kind": offered.label, "id": str(ref)[:20]}
            )
        subject, ref_id = subject or found.label[:300], found.id
    if not subject or len(subject) > 300:
        raise ValidationError(_("Say what is consulted on (at most 300 characters)."))
    return subject, ref_id


def _clean(user: User, data: dict[str, Any]) -> dict[str, Any]:
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        raise ValidationError(_("A title is required (at most 200 characters)."))
    subject, subject_ref = _clean_subject(user, data)
    if data.get("mode") not in Mode.values:
        raise ValidationError(_("Choose how people take part."))
    languages = [str(lang).lower() for lang in data.get("languages") or []]
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise ValidationError(
            _("Choose the languages of the consultation among: %(langs)s.")
            % {"langs": ", ".join(LANGUAGES)}
        )
    closes_at = data.get("closes_at")
    if closes_at is not None and closes_at <= timezone.now():
        raise ValidationError(_("The closing time must be in the future."))
    return {
        "title": title,
        "description": str(data.get("description") or "").strip()[:5000],
        "subject_kind": data["subject_kind"],
        "subject": subject,
        "subject_ref": subject_ref,
        "subject_link": str(data.get("subject_link") or "").strip(),
        "languages": sorted(set(languages), key=LANGUAGES.index),
        "mode": data["mode"],
        "at_risk": bool(data.get("at_risk")),
        "closes_at": closes_at,
    }


@transaction.atomic
def create_consultation(
    *, acting_user: User, data: dict[str, Any], questions: list[dict[str, Any]]
) -> Consultation:
    """A draft consultation with its questions; everything is checked before anything is written."""
    if not policy.can_open_consultations(acting_user):
        raise PermissionDenied(_("Only the secretariat or a Compact entity opens consultations."))
    fields = _clean(acting_user, data)
    audience, region, orgs = _clean_audience(data)
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ValidationError(
            _("A consultation has between 1 and %(max)d questions.") % {"max": MAX_QUESTIONS}
        )
    cleaned = [_clean_question(i, q, fields["mode"]) for i, q in enumerate(questions, start=1)]
    consultation = Consultation(
        originator=acting_org(acting_user),
        created_by=acting_user,
        audience=audience,
        region=region,
        **fields,
    )
    consultation.full_clean(exclude=["named_orgs"])
    consultation.save()
    consultation.named_orgs.set(orgs)
    for question in cleaned:
        question.consultation = consultation
    Question.objects.bulk_create(cleaned)
    audit.record(
        "consultations.created",
        actor=acting_user,
        obj=consultation,
        detail={"mode": consultation.mode, "questions": len(cleaned), "audience": audience},
    )
    return consultation


@transaction.atomic
def update_consultation(
    *,
    acting_user: User,
    consultation: Consultation,
    data: dict[str, Any],
    questions: list[dict[str, Any]],
) -> Consultation:
    """Edit a draft: its fields and its whole question set, checked as on creation; nobody has
    answered a draft, so its questions are replaced, not versioned."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not policy.can_manage(acting_user, consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if consultation.status != Status.DRAFT:
        raise WrongState(_("A consultation is edited while it is a draft only."))
    fields = _clean(acting_user, data)
    audience, region, orgs = _clean_audience(data)
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ValidationError(
            _("A consultation has between 1 and %(max)d questions.") % {"max": MAX_QUESTIONS}
        )
    cleaned = [_clean_question(i, q, fields["mode"]) for i, q in enumerate(questions, start=1)]
    for name, value in fields.items():
        setattr(consultation, name, value)
    if audience != Audience.PUBLIC and consultation.public_link_hash:
        # No longer public: the link stops working, and does not come back with the audience.
        consultation.public_link_hash = ""
        consultation.public_link_revoked_at = timezone.now()
    consultation.audience, consultation.region = audience, region
    consultation.full_clean(exclude=["named_orgs"])
    consultation.save()
    consultation.named_orgs.set(orgs)
    consultation.questions.all().delete()
    for question in cleaned:
        question.consultation = consultation
    Question.objects.bulk_create(cleaned)
    audit.record(
        "consultations.updated",
        actor=acting_user,
        obj=consultation,
        detail={"mode": consultation.mode, "questions": len(cleaned), "audience": audience},
    )
    return consultation


def unanswered_count(consultation: Consultation) -> int:
    """Inputs that have no response yet: not in a theme, or in a theme not yet answered."""
    qs = consultation.submissions.filter(hidden=False)
    return qs.filter(theme__isnull=True).count() + qs.filter(theme__response="").count()


def shuffle_anonymous(consultation: Consultation, rng: random.Random | None = None) -> int:
    """Rewrite the anonymous inputs of a closed consultation in a random storage order.

    Their keys are random, but the rows still lie in the table (a PostgreSQL heap, SQLite's rowid)
    in the order they arrived, and so do the ``Participation`` rows that name who took part: the
    n-th participation and the n-th submission would be the same person to anyone with a copy of
    the database or a backup. Deleting and re-inserting the submissions, their answers and the
    reports on them in a shuffled order (same keys, same content) breaks that line-up once no new
    input can arrive. ``rng`` is for tests; the default draws from the operating system.
    """
    rng = rng or random.SystemRandom()
    submissions = list(
        Submission.objects.filter(consultation=consultation, mode=Mode.ANONYMOUS).order_by("id")
    )
    if len(submissions) < 2:
        return len(submissions)
    ids = [s.pk for s in submissions]
    answers = list(Answer.objects.filter(submission_id__in=ids).order_by("id"))
    reports = list(Report.objects.filter(submission_id__in=ids).order_by("id"))
    rng.shuffle(submissions)
    rng.shuffle(answers)
    # The delete cascades to answers and reports, which are written back with their own keys.
    Submission.objects.filter(pk__in=ids).delete()
    Submission.objects.bulk_create(submissions)
    Answer.objects.bulk_create(answers)
    Report.objects.bulk_create(reports)
    return len(submissions)


@transaction.atomic
def move_on(*, acting_user: User, consultation: Consultation, to: str) -> Consultation:
    """One step of the window, and only the next one."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not policy.can_manage(acting_user, consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if NEXT_STATUS.get(Status(consultation.status)) != to:
        raise WrongState(
            _("A consultation that is %(now)s cannot move to %(to)s.")
            % {
                "now": consultation.get_status_display(),
                "to": Status(to).label if to in Status.values else to,
            }
        )
    if to == Status.PUBLISHED:
        missing = unanswered_count(consultation)
        if missing:
            raise WrongState(
                _(
                    "%(n)d inputs have no response yet: put each in a theme and answer every "
                    "theme before publishing the response."
                )
                % {"n": missing}
            )
    today = timezone.localdate()
    consultation.status = to
    field: dict[str, str] = {
        Status.OPEN: "opened_on",
        Status.CLOSED: "closed_on",
        Status.PUBLISHED: "published_on",
    }
    if to in field:
        setattr(consultation, field[to], today)
    consultation.save()
    if to == Status.CLOSED and consultation.mode == Mode.ANONYMOUS:
        shuffle_anonymous(consultation)
    audit.record("consultations.moved", actor=acting_user, obj=consultation, detail={"to": to})
    if to in (Status.OPEN, Status.PUBLISHED):
        from ctnet.consultations.notices import notify_audience

        transaction.on_commit(lambda: notify_audience.enqueue(consultation.pk, to))
    return consultation
