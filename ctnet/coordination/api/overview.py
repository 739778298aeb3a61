"""Coordination API: the reference list, the per-resolution view, regional coverage.

No ``from __future__ import annotations``: django-ninja reads the annotations at import time.
"""

from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate

from ctnet.coordination import overview
from ctnet.coordination.api.common import require_coordination
from ctnet.coordination.api.schemas import (
    RegionOut,
    ResolutionRefOut,
    ResolutionViewOut,
)
from ctnet.coordination.references import REFERENCES
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.pagination import PageParams, Pagination

router = Router(tags=["coordination"])


@router.get("/references", response=list[ResolutionRefOut], summary="The reference list")
@paginate(Pagination)
def list_references(request: AuthenticatedHttpRequest) -> list[dict]:
    require_coordination(request.user)
    return [
        {
            "code": ref.code,
            "title": str(ref.title),
            "paragraphs": [{"paragraph": k, "label": str(v)} for k, v in ref.paragraphs.items()],
        }
        for ref in REFERENCES.values()
    ]


@router.get(
    "/references/{code}",
    response=ResolutionViewOut,
    summary="Which plans commit to a resolution, at what status",
)
def resolution(
    request: AuthenticatedHttpRequest, code: str, page: Query[PageParams], paragraph: str = ""
) -> dict:
    require_coordination(request.user)
    ref = REFERENCES.get(code.upper())
    if ref is None:
        raise Http404
    view = overview.resolution_view(
        request.user, ref.code, paragraph, offset=page.offset, limit=page.limit
    )
    return {
        "code": ref.code,
        "title": str(ref.title),
        "owners": view.owners,
        "count": view.total,
        "self_counts": dict(view.self_counts),
        "assessed_counts": dict(view.assessed_counts),
        "rows": [{**row.__dict__, "owner": row.owner.code} for row in view.rows],
    }


@router.get("/coverage", response=list[RegionOut], summary="Plans and status by region")
@paginate(Pagination)
def coverage(request: AuthenticatedHttpRequest) -> list[dict]:
    require_coordination(request.user)
    return [
        {
            "code": r.code,
            "label": r.label,
            "members": r.members,
            "with_plan": r.with_plan,
            "commitments": r.commitments,
            "self_counts": dict(r.self_counts),
            "assessed_counts": dict(r.assessed_counts),
        }
        for r in overview.regional_coverage(request.user)
    ]
