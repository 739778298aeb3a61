"""Coordination API: action plans, their commitments, milestones, reports and assessments.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.db.models import QuerySet
from django.http import FileResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from ctnet.coordination import access, presenters
from ctnet.coordination.api.common import require_coordination
from ctnet.coordination.api.schemas import (
    AssessmentIn,
    AssessmentOut,
    AssessmentRequestIn,
    CommitmentIn,
    CommitmentOut,
    CommitmentUpdateIn,
    EvidenceOut,
    MilestoneDoneIn,
    MilestoneIn,
    MilestoneOut,
    PlanIn,
    PlanOut,
    PlanSummaryOut,
    PlanUpdateIn,
    ProgressIn,
)
from ctnet.coordination.models import ActionPlan, Commitment
from ctnet.coordination.services import plans, reporting
from ctnet.core.access import organisations_by_code
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import Pagination

router = Router(tags=["coordination"])


def _commitment_out(request: AuthenticatedHttpRequest, commitment_id: int) -> dict:
    commitment = presenters.with_details(Commitment.objects.filter(pk=commitment_id)).get()
    return presenters.commitment_detail(request.user, commitment)


@router.get("/plans", response=list[PlanSummaryOut], summary="Action plans one may read")
@paginate(Pagination)
def list_plans(
    request: AuthenticatedHttpRequest, owner: str = "", resolution: str = ""
) -> QuerySet[ActionPlan]:
    require_coordination(request.user)
    qs = access.visible_plans(request.user).select_related("originator")
    if owner:
        qs = qs.filter(originator__code=owner.strip().upper())
    if resolution:
        qs = qs.filter(commitments__references__code=resolution.strip().upper()).distinct()
    return qs.order_by("originator__code", "-period_end", "id")


@router.post("/plans", response={201: PlanOut}, summary="Record an action plan")
def create_plan(request: AuthenticatedHttpRequest, payload: PlanIn) -> Status:
    require_coordination(request.user)
    data = payload.dict(exclude={"commitments", "shared_with"})
    plan = plans.create_plan(
        acting_user=request.user,
        data=data,
        shared_with=organisations_by_code(payload.shared_with),
        commitments=[c.dict() for c in payload.commitments],
    )
    return Status(201, presenters.plan_detail(request.user, plan))


@router.get("/plans/{plan_id}", response=PlanOut, summary="A plan with its commitments")
def get_plan(request: AuthenticatedHttpRequest, plan_id: int) -> dict:
    return presenters.plan_detail(request.user, access.access_plan(request.user, plan_id))


@router.patch("/plans/{plan_id}", response=PlanOut, summary="Correct a plan (the owner)")
def update_plan(request: AuthenticatedHttpRequest, plan_id: int, payload: PlanUpdateIn) -> dict:
    plan = access.access_plan(request.user, plan_id)
    data = payload.dict(exclude_none=True, exclude={"shared_with"})
    shared = None if payload.shared_with is None else organisations_by_code(payload.shared_with)
    plans.update_plan(acting_user=request.user, plan=plan, data=data, shared_with=shared)
    return presenters.plan_detail(request.user, access.access_plan(request.user, plan_id))


@router.post(
    "/plans/{plan_id}/commitments", response={201: CommitmentOut}, summary="Add a commitment"
)
def add_commitment(
    request: AuthenticatedHttpRequest, plan_id: int, payload: CommitmentIn
) -> Status:
    plan = access.access_plan(request.user, plan_id)
    commitment = plans.add_commitment(acting_user=request.user, plan=plan, data=payload.dict())
    return Status(201, _commitment_out(request, commitment.pk))


@router.get("/commitments/{commitment_id}", response=CommitmentOut)
def get_commitment(request: AuthenticatedHttpRequest, commitment_id: int) -> dict:
    commitment = access.access_commitment(request.user, commitment_id)
    return _commitment_out(request, commitment.pk)


@router.patch(
    "/commitments/{commitment_id}", response=CommitmentOut, summary="Correct a commitment"
)
def update_commitment(
    request: AuthenticatedHttpRequest, commitment_id: int, payload: CommitmentUpdateIn
) -> dict:
    commitment = access.access_commitment(request.user, commitment_id)
    data = {
        "title": commitment.title,
        "description": commitment.description,
        "pillar": commitment.pillar,
        "references": [
            {"code": r.code, "paragraph": r.paragraph} for r in commitment.references.all()
        ],
        "free_references": commitment.free_references,
        **payload.dict(exclude_none=True),
    }
    plans.update_commitment(acting_user=request.user, commitment=commitment, data=data)
    return _commitment_out(request, commitment.pk)


@router.post(
    "/commitments/{commitment_id}/milestones",
    response={201: MilestoneOut},
    summary="Add a milestone (within the plan's period)",
)
def add_milestone(
    request: AuthenticatedHttpRequest, commitment_id: int, payload: MilestoneIn
) -> Status:
    commitment = access.access_commitment(request.user, commitment_id)
    milestone = plans.add_milestone(
        acting_user=request.user, commitment=commitment, data=payload.dict()
    )
    return Status(201, presenters.milestone_detail(milestone))


@router.post("/milestones/{milestone_id}/done", response=MilestoneOut, summary="Mark done")
def complete_milestone(
    request: AuthenticatedHttpRequest, milestone_id: int, payload: MilestoneDoneIn
) -> dict:
    milestone = access.access_milestone(request.user, milestone_id)
    done = plans.complete_milestone(
        acting_user=request.user, milestone=milestone, done_on=payload.done_on
    )
    return presenters.milestone_detail(done)


@router.post(
    "/commitments/{commitment_id}/progress",
    response=CommitmentOut,
    summary="The owner's self-report",
)
def report_progress(
    request: AuthenticatedHttpRequest, commitment_id: int, payload: ProgressIn
) -> dict:
    commitment = access.access_commitment(request.user, commitment_id)
    reporting.report_progress(acting_user=request.user, commitment=commitment, **payload.dict())
    return _commitment_out(request, commitment.pk)


@router.post(
    "/commitments/{commitment_id}/evidence",
    response={201: EvidenceOut},
    summary="A file behind the owner's report",
)
def add_evidence(
    request: AuthenticatedHttpRequest, commitment_id: int, file: File[UploadedFile]
) -> Status:
    commitment = access.access_commitment(request.user, commitment_id)
    evidence = reporting.add_evidence_file(
        acting_user=request.user,
        commitment=commitment,
        filename=file.name or "",
        content_type=file.content_type or "",
        data=file.read(),
    )
    return Status(201, {"id": evidence.pk, "url": evidence.url, "filename": evidence.filename})


@router.get(
    "/evidence/{evidence_id}",
    response={200: None},
    summary="Download a stored evidence file",
    operation_id="ctnet_coordination_api_download_evidence",
)
def download_evidence(request: AuthenticatedHttpRequest, evidence_id: int) -> FileResponse:
    return access.evidence_download(request.user, evidence_id)


@router.post(
    "/commitments/{commitment_id}/assessment-request",
    response=CommitmentOut,
    summary="Ask an organisation to assess",
)
def request_assessment(
    request: AuthenticatedHttpRequest, commitment_id: int, payload: AssessmentRequestIn
) -> dict:
    commitment = access.access_commitment(request.user, commitment_id)
    (assessor,) = organisations_by_code([payload.assessor])
    reporting.request_assessment(acting_user=request.user, commitment=commitment, assessor=assessor)
    return _commitment_out(request, commitment.pk)


@router.post(
    "/commitments/{commitment_id}/assessments",
    response={201: AssessmentOut},
    summary="An independent assessment (never by an implementer)",
)
def assess(request: AuthenticatedHttpRequest, commitment_id: int, payload: AssessmentIn) -> Status:
    commitment = access.access_commitment(request.user, commitment_id)
    assessment = reporting.assess(acting_user=request.user, commitment=commitment, **payload.dict())
    evidence = [
        {"id": e.pk, "url": e.url, "filename": e.filename} for e in assessment.evidence.all()
    ]
    return Status(
        201,
        {
            "id": assessment.pk,
            "assessor": assessment.assessor.code,
            "status": assessment.status,
            "note": assessment.note,
            "created_at": assessment.created_at,
            "evidence": evidence,
        },
    )
