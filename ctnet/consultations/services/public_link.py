"""The public link of a consultation whose audience is the public, and the submissions that come
through it from people without an account.

The link is ``/consultations/public/<id>/<token>/``. Only the token's SHA-256 is stored; the token
is shown once to the unit member who made it, and comparing goes through
``hmac.compare_digest``. A wrong, replaced or revoked token answers exactly as a missing
consultation does (404).

A public submission is anonymous by construction: no account, so no person, organisation or
participation row; the day only; a random key; a receipt code (its hash kept) so the sender can
come back; an audit row that says *someone* submitted and the count, written with the request's
address, user agent and request id removed. The client address is used once, as a keyed hash, to
charge the rate-limit bucket (``ratelimits.CONSULTATION_PUBLIC_SUBMISSIONS_PER_IP``); it is never
stored in a row, an audit detail or a log line.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet import ratelimits
from ctnet.consultations.models import Answer, Audience, Consultation, Mode, Status, Submission
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState
from ctnet.consultations.services.submitting import (
    Sent,
    clean_answers,
    new_receipt,
    receipt_hash,
    untraced,
    window_open,
)
from ctnet.core import audit, ratelimit
from ctnet.core.models import User

# 256 random bits: a link is as hard to guess as a key, so a plain digest stores it safely.
TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything much longer is not a token of ours.
MAX_TOKEN_LENGTH = 100


class RateLimited(Exception):
    """Too many public submissions from one address (429)."""


@dataclass(frozen=True)
class MadeLink:
    token: str  # shown once, never stored
    made_at: datetime


def link_hash(token: str) -> str:
    return hashlib.sha256(f"ctnet-public-link:{token}".encode()).hexdigest()


def token_matches(consultation: Consultation, token: str) -> bool:
    """The consultation's live public link has this token (constant-time comparison)."""
    stored = consultation.public_link_hash
    if (
        consultation.audience != Audience.PUBLIC
        or consultation.status == Status.DRAFT
        or not stored
        or consultation.public_link_revoked_at is not None
        or not token
        or len(token) > MAX_TOKEN_LENGTH
    ):
        return False
    return hmac.compare_digest(stored, link_hash(token))


def _require_public(user: User, consultation: Consultation) -> None:
    if not policy.can_manage(user, consultation):
        raise PermissionDenied(_("Only the organisation that opened the consultation may do this."))
    if not policy.can_manage_public_link(user, consultation):
        raise WrongState(
            _("Only a consultation open to the public through a link has a public link.")
        )


@transaction.atomic
def make_public_link(*, acting_user: User, consultation: Consultation) -> MadeLink:
    """Make the public link, or replace it: the previous link stops working at once."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_public(acting_user, consultation)
    replaced = bool(consultation.public_link_hash)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    consultation.public_link_hash = link_hash(token)
    consultation.public_link_made_at = now
    consultation.public_link_revoked_at = None
    consultation.save(
        update_fields=["public_link_hash", "public_link_made_at", "public_link_revoked_at"]
    )
    audit.record(
        "consultations.public_link_made",
        actor=acting_user,
        obj=consultation,
        detail={"replaced": replaced},
    )
    return MadeLink(token, now)


@transaction.atomic
def revoke_public_link(*, acting_user: User, consultation: Consultation) -> Consultation:
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _require_public(acting_user, consultation)
    if not consultation.public_link_hash:
        raise WrongState(_("This consultation has no public link to revoke."))
    consultation.public_link_hash = ""
    consultation.public_link_revoked_at = timezone.now()
    consultation.save(update_fields=["public_link_hash", "public_link_revoked_at"])
    audit.record("consultations.public_link_revoked", actor=acting_user, obj=consultation)
    return consultation


def address_subject(client_ip: str | None) -> str:
    """The rate-limit subject of an address: an HMAC under the secret key, so that the bucket
    table alone cannot be searched for an address (every IPv4 address hashes in minutes). An
    IPv6 address counts by its /64, which one household or phone holds."""
    if not client_ip:
        return "unknown"
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return "unknown"
    network = (
        str(ipaddress.ip_network(f"{address}/64", strict=False))
        if address.version == 6
        else str(address)
    )
    return hmac.new(
        str(settings.SECRET_KEY).encode(),
        f"ctnet-public-submission:{network}".encode(),
        hashlib.sha256,
    ).hexdigest()


def submit_without_account(
    consultation: Consultation,
    token: str,
    answers: dict[str, Any],
    *,
    language: str,
    client_ip: str | None,
) -> Sent:
    """An input through the public link, from someone without an account.

    429 (``RateLimited``) past the address's allowance, charged first so that guessing links
    costs too; 404 for a wrong or revoked token; 409 outside the window; 400 for bad answers.
    Nothing is written unless everything holds.
    """
    if not ratelimit.authorize(
        ratelimits.CONSULTATION_PUBLIC_SUBMISSIONS_PER_IP, address_subject(client_ip)
    ):
        raise RateLimited
    if not token_matches(consultation, token):
        raise Http404
    if not window_open(consultation):
        raise WrongState(_("This consultation is not open for submissions."))
    if consultation.mode != Mode.ANONYMOUS:
        # Refused when configured; kept here so that no other path can make it identified.
        raise WrongState(_("This consultation is not open for submissions."))
    if language not in consultation.languages:
        raise ValidationError(_("Write in one of the consultation's languages."))
    cleaned = clean_answers(consultation, answers)
    receipt = new_receipt()
    with untraced(), transaction.atomic():
        submission = Submission.objects.create(
            consultation=consultation,
            mode=Mode.ANONYMOUS,
            language=language,
            submitted_on=timezone.localdate(),
            receipt_hash=receipt_hash(receipt),
        )
        for answer in cleaned:
            answer.submission = submission
        Answer.objects.bulk_create(cleaned)
        # Someone took part through the link, and how many have: no actor, no submission id.
        audit.record(
            "consultations.public_submission",
            object_type="consultations.consultation",
            object_id=consultation.pk,
            detail={"count": consultation.submissions.count()},
        )
    return Sent(submission, receipt)
