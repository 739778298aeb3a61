"""Taking part: one submission per person and consultation, in the consultation's mode.

Anonymous: the ``Participation`` row records that the person took part (so they cannot send
twice); the ``Submission`` row holds the answers with no person, no organisation, the day only,
and a random key. The audit row says that *someone* submitted and how many have; it is written
with the request's address, user agent and request id removed, so the audit chain holds nothing
that a web-server log could join to the person either.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.consultations.images import strip_metadata
from ctnet.consultations.models import (
    Answer,
    Consultation,
    Mode,
    Participation,
    Question,
    QuestionKind,
    Stance,
    Status,
    Submission,
)
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState
from ctnet.core import audit
from ctnet.core.audit import RequestContext, current_request
from ctnet.core.files import store_by_digest
from ctnet.core.models import User
from ctnet.core.policy import acting_org

MAX_TEXT = 5000
STANCES = {"agree": Stance.AGREE, "disagree": Stance.DISAGREE, "pass": Stance.PASS}


@dataclass(frozen=True)
class Upload:
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Sent:
    submission: Submission
    receipt: str  # shown once to the sender; empty where none is given


def receipt_hash(code: str) -> str:
    # The code carries 100 random bits, so a plain digest cannot be reversed by guessing.
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(f"ctnet-receipt:{normalised}".encode()).hexdigest()


def new_receipt() -> str:
    raw = base64.b32encode(secrets.token_bytes(15)).decode()[:20]  # 100 bits
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def alias_for(consultation: Consultation, user: User) -> str:
    """A stable alias per person and consultation that nobody can compute without the key."""
    mac = hmac.new(
        str(settings.SECRET_KEY).encode(),
        f"ctnet-alias:{consultation.pk}:{user.pk}".encode(),
        hashlib.sha256,
    ).digest()
    return "P-" + base64.b32encode(mac).decode()[:6]


@contextlib.contextmanager
def untraced() -> Iterator[None]:
    """Audit rows written inside carry no address, user agent or request id."""
    token = current_request.set(RequestContext())
    try:
        yield
    finally:
        current_request.reset(token)


def window_open(consultation: Consultation) -> bool:
    return consultation.status == Status.OPEN and (
        consultation.closes_at is None or timezone.now() < consultation.closes_at
    )


def _answer(question: Question, value: Any) -> Answer:
    where = {"n": question.position}
    if question.kind == QuestionKind.TEXT:
        text = str(value or "").strip()
        if len(text) > MAX_TEXT:
            raise ValidationError(
                _("Question %(n)d: at most %(max)d characters.") % {**where, "max": MAX_TEXT}
            )
        return Answer(question=question, text=text)
    if question.kind == QuestionKind.STATEMENT:
        if value not in STANCES:
            raise ValidationError(_("Question %(n)d: agree, disagree or pass.") % where)
        return Answer(question=question, stance=STANCES[value])
    chosen = value if isinstance(value, list) else [value]
    chosen = [str(c) for c in chosen if c not in (None, "")]
    if any(c not in question.choices for c in chosen) or len(set(chosen)) != len(chosen):
        raise ValidationError(_("Question %(n)d: choose among the choices given.") % where)
    if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
        raise ValidationError(_("Question %(n)d: choose one answer.") % where)
    return Answer(question=question, selected=chosen)


def _is_empty(answer: Answer) -> bool:
    return not answer.text and not answer.selected and answer.stance is None


def clean_answers(consultation: Consultation, raw: dict[str, Any]) -> list[Answer]:
    questions = {q.pk: q for q in consultation.questions.all()}
    answers = []
    for key, value in raw.items():
        try:
            question = questions[int(key)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                _("There is no question %(id)s in this consultation.") % {"id": key}
            ) from None
        answers.append(_answer(question, value))
    given = {a.question_id for a in answers if not _is_empty(a)}
    missing = [q.position for q in questions.values() if q.required and q.pk not in given]
    if missing:
        raise ValidationError(
            _("Please answer the required questions: %(n)s.")
            % {"n": ", ".join(str(n) for n in missing)}
        )
    if not given:
        raise ValidationError(_("Answer at least one question."))
    return [a for a in answers if not _is_empty(a)]


def _check_unique(consultation: Consultation, answers: list[Answer]) -> None:
    for answer in answers:
        if (
            answer.question.unique_answer
            and Answer.objects.filter(question=answer.question, text__iexact=answer.text).exists()
        ):
            raise ValidationError(
                _("Question %(n)d: this answer was already given by another sender.")
                % {"n": answer.question.position}
            )


def _store_upload(consultation: Consultation, upload: Upload | None) -> tuple[str, str]:
    if upload is None:
        return "", ""
    content_type, clean = strip_metadata(
        upload.content_type, upload.data, max_bytes=settings.CONSULTATIONS_MAX_UPLOAD_BYTES
    )
    digest = store_by_digest(settings.DATA_DIR / "consultations", clean)
    return digest, content_type


def submit(
    *,
    acting_user: User,
    consultation: Consultation,
    answers: dict[str, Any],
    language: str,
    upload: Upload | None = None,
) -> Sent:
    """Take part once; 409 (``WrongState``) outside the window or on a second submission."""
    if not policy.can_take_part(acting_user, consultation):
        raise PermissionDenied(_("Your organisation is not in the audience of this consultation."))
    if not window_open(consultation):
        raise WrongState(_("This consultation is not open for submissions."))
    if language not in consultation.languages:
        raise ValidationError(_("Write in one of the consultation's languages."))
    cleaned = clean_answers(consultation, answers)
    # Decoded and re-encoded before the transaction; a refused image writes nothing.
    digest, content_type = _store_upload(consultation, upload)
    anonymous = consultation.mode == Mode.ANONYMOUS
    receipt = new_receipt() if anonymous or consultation.at_risk else ""
    with untraced() if anonymous else contextlib.nullcontext(), transaction.atomic():
        try:
            with transaction.atomic():
                Participation.objects.create(consultation=consultation, user=acting_user)
        except IntegrityError:
            raise WrongState(_("You have already taken part in this consultation.")) from None
        _check_unique(consultation, cleaned)
        submission = Submission.objects.create(
            consultation=consultation,
            mode=consultation.mode,
            author=None if anonymous else acting_user,
            organisation=None if anonymous else acting_org(acting_user),
            alias=alias_for(consultation, acting_user)
            if consultation.mode == Mode.PSEUDONYMOUS
            else "",
            language=language,
            submitted_on=timezone.localdate(),
            receipt_hash=receipt_hash(receipt) if receipt else "",
            attachment_digest=digest,
            attachment_type=content_type,
        )
        for answer in cleaned:
            answer.submission = submission
        Answer.objects.bulk_create(cleaned)
        count = consultation.submissions.count()
        if anonymous:
            # Someone took part, and how many have: no actor, organisation or submission id.
            audit.record(
                "consultations.anonymous_submission",
                object_type="consultations.consultation",
                object_id=consultation.pk,
                detail={"count": count},
            )
        else:
            audit.record(
                "consultations.submitted",
                actor=acting_user,
                obj=submission,
                detail={"consultation": consultation.pk, "mode": consultation.mode},
            )
    return Sent(submission, receipt)
