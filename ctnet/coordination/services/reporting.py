"""The owner's self-report, its evidence, and independent assessments (the Open Government
Partnership's pairing: the government's own report beside an independent one, on one scale).

"Complete" needs evidence: for a self-report, evidence already on the commitment or sent with
the report; for an assessment, evidence sent with that assessment.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.coordination import notices
from ctnet.coordination.models import (
    SELF_STATUSES,
    Assessment,
    Commitment,
    Evidence,
    Status,
)
from ctnet.coordination.policy import policy
from ctnet.coordination.validation import clean_progress
from ctnet.core import audit, files
from ctnet.core.markings import TLP
from ctnet.core.models import Organisation, User
from ctnet.core.policy import acting_org
from ctnet.core.roles import COMMUNITY_KINDS

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = files.file_types(files.PDF, files.DOCX, files.ODT, files.PNG, files.JPEG)
MAX_LINKS = 10


def storage_dir() -> Path:
    return Path(settings.DATA_DIR) / "coordination" / "evidence"


def _clean_urls(urls: list[str]) -> list[str]:
    cleaned = [u.strip() for u in urls if u and u.strip()]
    if len(cleaned) > MAX_LINKS:
        raise ValidationError(_("At most %(n)d links at a time.") % {"n": MAX_LINKS})
    check = URLValidator(schemes=["http", "https"])
    for url in cleaned:
        try:
            check(url)
        except ValidationError:
            raise ValidationError(_("Not a web address: %(url)s") % {"url": url[:100]}) from None
    return cleaned


def _links(
    user: User, commitment: Commitment, urls: list[str], assessment: Assessment | None = None
) -> None:
    org = acting_org(user)
    Evidence.objects.bulk_create(
        Evidence(
            commitment=commitment, assessment=assessment, url=u, added_by=user, organisation=org
        )
        for u in urls
    )


def report_progress(
    *,
    acting_user: User,
    commitment: Commitment,
    status: str,
    progress: int,
    note: str = "",
    evidence_urls: list[str] | None = None,
) -> Commitment:
    """The owner's own report: status on the scale, per cent done, what was done."""
    if not policy.can_edit_plan(acting_user, commitment.plan):
        raise PermissionDenied(_("Only the plan's owner reports on its commitments."))
    if status not in SELF_STATUSES:
        raise ValidationError(_("An owner reports not started, limited, substantial or complete."))
    progress = clean_progress(progress)
    urls = _clean_urls(evidence_urls or [])
    with transaction.atomic():
        has_evidence = bool(urls) or commitment.evidence.filter(assessment=None).exists()
        if status == Status.COMPLETE and not has_evidence:
            raise ValidationError(
                _("A commitment is complete only with evidence: add a link or a file.")
            )
        previous = commitment.self_status
        _links(acting_user, commitment, urls)
        commitment.self_status = status
        commitment.self_progress = 100 if status == Status.COMPLETE else progress
        commitment.self_note = note.strip()
        commitment.self_reported_at = timezone.now()
        commitment.save(
            update_fields=["self_status", "self_progress", "self_note", "self_reported_at"]
        )
        audit.record(
            "coordination.progress_reported",
            actor=acting_user,
            obj=commitment,
            detail={
                "from": previous,
                "to": status,
                "progress": commitment.self_progress,
                "evidence": len(urls),
            },
        )
    return commitment


def add_evidence_file(
    *, acting_user: User, commitment: Commitment, filename: str, content_type: str, data: bytes
) -> Evidence:
    """A file behind the owner's report (assessors give links with their assessment)."""
    if not policy.can_edit_plan(acting_user, commitment.plan):
        raise PermissionDenied(_("Only the plan's owner adds evidence to its report."))
    content_type = files.check_upload(
        content_type,
        data,
        accepted=EVIDENCE_TYPES,
        max_bytes=MAX_EVIDENCE_BYTES,
        accepted_label="PDF, Word/OpenDocument, PNG, JPEG",
    )
    with transaction.atomic():
        digest = files.store_by_digest(storage_dir(), data)
        evidence = Evidence.objects.create(
            commitment=commitment,
            filename=files.safe_filename(filename),
            content_type=content_type,
            digest=digest,
            added_by=acting_user,
            organisation=acting_org(acting_user),
        )
        audit.record(
            "coordination.evidence_added",
            actor=acting_user,
            obj=evidence,
            detail={"commitment": commitment.pk, "sha256": digest},
        )
    return evidence


def can_reach(org: Organisation, commitment: Commitment) -> bool:
    """Could members of ``org`` read the plan (so that asking them to assess makes sense)?"""
    plan = commitment.plan
    if plan.tlp == TLP.GREEN:
        return org.kind in COMMUNITY_KINDS
    return plan.recipient_orgs.filter(pk=org.pk).exists()


def request_assessment(
    *, acting_user: User, commitment: Commitment, assessor: Organisation
) -> Commitment:
    if not policy.can_edit_plan(acting_user, commitment.plan):
        raise PermissionDenied(_("Only the plan's owner asks for an assessment."))
    if assessor.pk in policy.implementer_ids(commitment):
        raise ValidationError(
            _(
                "An assessment is independent: ask an organisation that does not implement the "
                "commitment."
            )
        )
    if not can_reach(assessor, commitment):
        raise ValidationError(
            _("%(code)s cannot read this plan: share the plan with it first.")
            % {"code": assessor.code}
        )
    with transaction.atomic():
        commitment.assessment_requested_from = assessor
        commitment.save(update_fields=["assessment_requested_from"])
        audit.record(
            "coordination.assessment_requested",
            actor=acting_user,
            obj=commitment,
            detail={"assessor": assessor.code},
        )
        notices.queue("assessment_requested", [assessor.pk], notices.plan_path(commitment.plan_id))
    return commitment


def _check_assessor(user: User, commitment: Commitment) -> None:
    if policy.is_implementer(user, commitment):
        raise PermissionDenied(
            _(
                "An organisation that implements a commitment cannot assess it; its own report "
                "is the self-report."
            )
        )
    if not policy.can_assess(user, commitment):
        raise PermissionDenied(
            _(
                "Assessments are made by coordinators, focal points, the secretariat or civil "
                "society."
            )
        )


def assess(
    *,
    acting_user: User,
    commitment: Commitment,
    status: str,
    note: str = "",
    evidence_urls: list[str] | None = None,
) -> Assessment:
    """An independent rating on the same scale, with "no evidence" as a finding."""
    _check_assessor(acting_user, commitment)
    if status not in Status.values:
        raise ValidationError(_("Unknown status %(s)s.") % {"s": status})
    urls = _clean_urls(evidence_urls or [])
    if status == Status.COMPLETE and not urls:
        raise ValidationError(_("An assessment of complete needs its evidence: add a link."))
    org = acting_org(acting_user)
    with transaction.atomic():
        assessment = Assessment.objects.create(
            commitment=commitment,
            assessor=org,
            created_by=acting_user,
            status=status,
            note=note.strip(),
        )
        _links(acting_user, commitment, urls, assessment)
        commitment.assessed_status = status
        commitment.assessed_by = org
        commitment.assessed_at = assessment.created_at
        fields = ["assessed_status", "assessed_by", "assessed_at"]
        if commitment.assessment_requested_from_id == org.pk:
            commitment.assessment_requested_from = None
            fields.append("assessment_requested_from")
        commitment.save(update_fields=fields)
        audit.record(
            "coordination.assessed",
            actor=acting_user,
            obj=assessment,
            detail={"commitment": commitment.pk, "status": status, "evidence": len(urls)},
        )
        notices.queue(
            "assessed", [commitment.plan.originator_id], notices.plan_path(commitment.plan_id)
        )
    return assessment
