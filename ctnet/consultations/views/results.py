"""The results of a consultation (Decidim's accountability tree): the unit adds results and
their milestones from the answers page, and whoever may read the published response reads the
tree with its progress rolled up, on a page that prints.

Thin views, as in ``manage``: read through ``access``, write through ``answering``; a refused
form shows the answers page again with the service's message (400 bad input, 409 wrong step).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ctnet.consultations import access, presenters
from ctnet.consultations.forms import MilestoneForm, ResultForm
from ctnet.consultations.models import Status
from ctnet.consultations.policy import policy
from ctnet.consultations.services import WrongState, answering
from ctnet.consultations.views.manage import _answers_page, _messages, _status
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest


@member_required
@require_GET
def consultation_results(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    """The result tree: to the unit at once, to the audience with the published response."""
    c = access.access_consultation(request.user, consultation_id)
    if not (policy.can_manage(request.user, c) or c.status == Status.PUBLISHED):
        message = _("The results are published with the response.")
        return render(request, "ctnet/error.html", {"message": message}, status=409)
    tree = presenters.results_tree(c)
    _name_themes(tree, {t.pk: t.title for t in c.themes.all()})
    return render(request, "consultations/results.html", {"c": c, "results": tree})


def _name_themes(nodes: list[dict[str, Any]], titles: dict[int, str]) -> None:
    """The themes a result answers, by title (the tree holds their ids, as the API gives)."""
    for node in nodes:
        node["theme_titles"] = [titles[t] for t in node["themes"] if t in titles]
        _name_themes(node["children"], titles)


@member_required
@require_POST
def result_add(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    form = ResultForm(request.POST, consultation=c)
    if not form.is_valid():
        error = _("Check the result: its title, parent, weight, status and progress.")
        return _answers_page(request, c, error=error, status=400, result_form=form)
    try:
        answering.add_result(acting_user=request.user, consultation=c, **form.service_data())
    except (ValidationError, WrongState) as exc:
        form.add_error(None, _messages(exc))
        return _answers_page(
            request, c, error=_messages(exc), status=_status(exc), result_form=form
        )
    messages.success(request, _("Result saved."))
    return redirect("consultation-results", consultation_id=c.pk)


@member_required
@require_POST
def milestone_add(request: AuthenticatedHttpRequest, consultation_id: int) -> HttpResponse:
    c = access.access_managed(request.user, consultation_id)
    form = MilestoneForm(request.POST, consultation=c)
    if not form.is_valid():
        error = _("Choose a result of this consultation, a date and what happens then.")
        return _answers_page(request, c, error=error, status=400, milestone_form=form)
    data = form.cleaned_data
    try:
        answering.add_milestone(
            acting_user=request.user,
            consultation=c,
            result=c.results.get(pk=data["result"]),
            title=data["title"],
            on=data["on"],
            description=data["description"],
        )
    except (ValidationError, WrongState) as exc:
        form.add_error(None, _messages(exc))
        return _answers_page(
            request, c, error=_messages(exc), status=_status(exc), milestone_form=form
        )
    messages.success(request, _("Milestone saved."))
    return redirect("consultation-results", consultation_id=c.pk)
