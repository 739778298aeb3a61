"""Progress of the portfolio, by project, country and theme."""

from typing import Any

from ninja import Router

from ctnet.core.http import AuthenticatedHttpRequest

from .. import access, reports
from ..presenters import tally_dict
from .projects import require_monitoring

router = Router()

# The portfolio's groups are bounded by what they group: projects a person may see, 193
# countries, the themes of ``themes.py``; the answer is one document, not a paged list.


@router.get("/portfolio", summary="Progress against target by project, country and theme")
def portfolio(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    require_monitoring(request)
    data = reports.portfolio(access.visible_projects(request.user))
    return {
        "total": tally_dict(data["total"], "all"),
        "by_project": [tally_dict(t, "project") for t in data["project"]],
        "by_country": [tally_dict(t, "country") for t in data["country"]],
        "by_theme": [tally_dict(t, "theme") for t in data["theme"]],
    }
