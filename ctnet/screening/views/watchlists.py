"""Watchlists: the lists one may screen against, one list with its imports and entries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.markings import Handling
from ctnet.screening import access
from ctnet.screening.forms import EntryFilterForm, ImportForm, MarkingForm, WatchlistForm
from ctnet.screening.models import Watchlist
from ctnet.screening.policy import policy
from ctnet.screening.presenters import entry_dict, entry_facts, import_changes
from ctnet.screening.services import watchlists
from ctnet.screening.views.common import PAGE_SIZE, screening_required

ENTRIES_PAGE_SIZE = 50
# Imports shown on a list's page, newest first.
IMPORTS_SHOWN = 10


@member_required
@screening_required
@require_http_methods(["GET", "POST"])
def watchlists_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    can_create = policy.can_create_watchlist(user)
    form = WatchlistForm(request.POST or None, user=request.user) if can_create else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                watchlist = watchlists.create_watchlist(acting_user=user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Watchlist created. Import its entries now."))
                return redirect("screening-watchlist", watchlist_id=watchlist.pk)
        status = 400
    lists = access.visible_watchlists(user).select_related("originator").order_by("name", "id")
    page = Paginator(lists, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = access.entry_counts([w.pk for w in page])
    rows = [
        {
            "w": w,
            "active": counts[w.pk].active,
            "delisted": counts[w.pk].delisted,
            # Due for review: the owner's business, shown to its heads.
            "due": counts[w.pk].due if policy.can_manage_watchlist(user, w) else None,
        }
        for w in page
    ]
    context = {"page": page, "rows": rows, "form": form}
    return render(request, "screening/watchlists.html", context, status=status)


def _entries_context(request: AuthenticatedHttpRequest, watchlist: Watchlist) -> dict[str, Any]:
    """The import reports and a page of entries: they name people, shown where entries are."""
    filters = EntryFilterForm(request.GET)
    q, status = "", ""
    if filters.is_valid():
        q, status = filters.cleaned_data["q"].strip(), filters.cleaned_data["status"] or ""
    paged = access.search_entries(
        request.user,
        watchlist,
        q=q,
        status=status,
        window=access.Window.of_page(request.GET.get("page"), ENTRIES_PAGE_SIZE),
    )
    jobs = watchlist.imports.select_related("imported_by")[:IMPORTS_SHOWN]
    return {
        "imports": [{"job": job, "changed": import_changes(job)} for job in jobs],
        "filters": filters,
        "page": paged.page,
        "today": timezone.localdate(),
    }


def handling_labels(watchlist: Watchlist) -> list[str]:
    """A list's handling codes in plain words, for its page and its entries' pages."""
    return [str(Handling(code).label) for code in watchlist.handling]


def _render_watchlist(
    request: AuthenticatedHttpRequest,
    watchlist: Watchlist,
    *,
    import_form: ImportForm | None = None,
    marking_form: MarkingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = policy.can_manage_watchlist(user, watchlist)
    can_see = policy.can_see_entries(user, watchlist)
    counts = access.entry_counts([watchlist.pk])[watchlist.pk]
    context: dict[str, Any] = {
        "w": watchlist,
        "active": counts.active,
        "delisted": counts.delisted,
        "due": counts.due,
        "recipients": watchlist.recipient_orgs.order_by("code"),
        "can_manage": can_manage,
        "can_see": can_see,
        "import_form": (import_form or ImportForm()) if can_manage else None,
        "max_mb": max(1, settings.SCREENING_MAX_WATCHLIST_BYTES // (1024 * 1024)),
        "handling_labels": handling_labels(watchlist),
        # Anyone who screens against the list may raise its marking; only the owner lowers it.
        "marking_form": marking_form
        or MarkingForm(initial={"tlp": watchlist.tlp, "handling": watchlist.handling}),
    }
    if can_see:
        context.update(_entries_context(request, watchlist))
    return render(request, "screening/watchlist.html", context, status=status)


@member_required
@screening_required
@require_GET
def watchlist_page(request: AuthenticatedHttpRequest, watchlist_id: int) -> HttpResponse:
    return _render_watchlist(request, access.access_watchlist(request.user, watchlist_id))


@member_required
@screening_required
@require_POST
def watchlist_import(request: AuthenticatedHttpRequest, watchlist_id: int) -> HttpResponse:
    user = request.user
    watchlist = access.access_watchlist(user, watchlist_id)
    if not policy.can_manage_watchlist(user, watchlist):
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_watchlist(request, watchlist, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        job = watchlists.import_watchlist(
            acting_user=user, watchlist=watchlist, data=upload.read(), file_name=upload.name or ""
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _render_watchlist(request, watchlist, import_form=form, status=400)
    messages.success(
        request,
        _(
            "Imported: %(added)d added, %(changed)d changed, %(delisted)d de-listed, "
            "%(relisted)d listed again, %(unchanged)d unchanged."
        )
        % {
            "added": job.added,
            "changed": job.changed,
            "delisted": job.delisted,
            "relisted": job.relisted,
            "unchanged": job.unchanged,
        },
    )
    return redirect("screening-watchlist", watchlist_id=watchlist.pk)


@member_required
@screening_required
@require_POST
def watchlist_active(request: AuthenticatedHttpRequest, watchlist_id: int) -> HttpResponse:
    user = request.user
    watchlist = access.access_watchlist(user, watchlist_id)
    active = request.POST.get("active") == "1"
    watchlists.set_watchlist_active(acting_user=user, watchlist=watchlist, active=active)
    messages.success(
        request,
        _("The list is screened again.") if active else _("The list is suspended from screening."),
    )
    return redirect("screening-watchlist", watchlist_id=watchlist.pk)


@member_required
@screening_required
@require_POST
def watchlist_marking(request: AuthenticatedHttpRequest, watchlist_id: int) -> HttpResponse:
    """The page twin of ``POST /api/v1/screening/watchlists/{id}/marking`` (same service)."""
    user = request.user
    watchlist = access.access_watchlist(user, watchlist_id)
    form = MarkingForm(request.POST)
    if form.is_valid():
        try:
            # A lowering by anyone but the owner is refused: PermissionDenied, the 403 page.
            watchlists.change_watchlist_marking(
                acting_user=user,
                watchlist=watchlist,
                tlp=form.cleaned_data["tlp"],
                handling=form.cleaned_data["handling"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Marking changed."))
            return redirect("screening-watchlist", watchlist_id=watchlist.pk)
    return _render_watchlist(request, watchlist, marking_form=form, status=400)


@member_required
@screening_required
@require_GET
def entry_page(request: AuthenticatedHttpRequest, entry_id: int) -> HttpResponse:
    entry = access.access_entry(request.user, entry_id)
    data = entry_dict(entry)
    context = {
        "entry": entry,
        "e": data,
        "facts": entry_facts(data),
        # Entries carry their list's marking (H1 and H2 travel with them).
        "handling_labels": handling_labels(entry.watchlist),
    }
    return render(request, "screening/entry.html", context)
