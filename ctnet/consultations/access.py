"""Every read that pages and API share: the object, or Http404 when it is missing or the person
may not know it exists (the two look alike)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet.consultations.models import Audience, Consultation, Mode, Status, Submission, Theme
from ctnet.consultations.policy import policy
from ctnet.consultations.services.public_link import token_matches
from ctnet.consultations.services.submitting import receipt_hash


def visible_consultations(user: Any) -> QuerySet[Consultation]:
    return policy.visible(Consultation.objects.all(), user).select_related("originator")


def access_consultation(user: Any, consultation_id: int) -> Consultation:
    found = visible_consultations(user).filter(pk=consultation_id).first()
    if found is None:
        raise Http404
    return found


def access_managed(user: Any, consultation_id: int) -> Consultation:
    """A consultation the person sees and manages; 403 for a participant who only sees it."""
    consultation = access_consultation(user, consultation_id)
    if not policy.can_manage(user, consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    return consultation


def access_theme(user: Any, theme_id: int) -> Theme:
    theme = Theme.objects.filter(pk=theme_id).select_related("consultation").first()
    if theme is None or not visible_consultations(user).filter(pk=theme.consultation_id).exists():
        raise Http404
    return theme


def readable_themes(user: Any) -> QuerySet[Theme]:
    """Themes (and the responses to them) this person reads: of a consultation they see, and
    its page shows them (``policy.themes_q``)."""
    shown = visible_consultations(user).filter(policy.themes_q(user)).values("pk")
    return Theme.objects.filter(consultation__in=shown)


def access_readable_theme(user: Any, theme_id: int) -> Theme:
    theme = readable_themes(user).filter(pk=theme_id).select_related("consultation").first()
    if theme is None:
        raise Http404
    return theme


def access_submission(user: Any, consultation: Consultation, submission_id: str) -> Submission:
    """An input of a consultation the person manages (the unit reads every input)."""
    try:
        key = uuid.UUID(str(submission_id))
    except ValueError:
        raise Http404 from None
    found = consultation.submissions.filter(pk=key).first()
    if found is None:
        raise Http404
    return found


def own_submission(user: Any, consultation: Consultation) -> Submission | None:
    """The person's own input where it is linked to them (identified or pseudonymous)."""
    if consultation.mode == Mode.ANONYMOUS:
        return None
    return consultation.submissions.filter(author=user).first()


def has_taken_part(user: Any, consultation: Consultation) -> bool:
    return consultation.participations.filter(user=user).exists()


def submission_by_receipt(code: str) -> Submission | None:
    """The submission a receipt code opens, for a sender without an account (or none)."""
    if not code or len(code) > 64:
        return None
    return (
        Submission.objects.filter(receipt_hash=receipt_hash(code))
        .select_related("consultation", "theme")
        .first()
    )


def public_candidate(consultation_id: int) -> Consultation:
    """A public consultation past its draft, before its token is checked (the public submit
    page charges the rate limit first, then checks the token: ``submit_without_account``)."""
    found = (
        Consultation.objects.filter(pk=consultation_id, audience=Audience.PUBLIC)
        .exclude(status=Status.DRAFT)
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_public(consultation_id: int, token: str) -> Consultation:
    """A consultation through its public link, for anyone with the live token; 404 alike for a
    missing one, a draft, another audience and a wrong, replaced or revoked token."""
    found = public_candidate(consultation_id)
    if not token_matches(found, token):
        raise Http404
    return found
