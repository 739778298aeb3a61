"""Directory pages: search, contact detail and editing, route, coverage, exports, tests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet import ratelimits
from ctnet.core import access as core_access
from ctnet.core import ratelimit
from ctnet.core.capabilities import organisation_actions
from ctnet.core.decorators import member_required, require_role_check, require_sudo_mode
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.middleware import client_ip
from ctnet.directory import access, coverage, exports, services
from ctnet.directory.forms import CommTestForm, ContactForm, RouteForm, SearchForm
from ctnet.directory.models import CommunicationTest, ContactPoint
from ctnet.directory.policy import policy
from ctnet.directory.search import BadFilter, route_contact, search_contacts

PAGE_SIZE = 50


def _search(request: AuthenticatedHttpRequest) -> tuple[SearchForm, Any, int]:
    """The filter form, the matching contacts and the status to answer with."""
    form = SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, ContactPoint.objects.none(), 400
    filters = form.search_filters() if form.is_bound else {}
    try:
        return form, search_contacts(request.user, **filters), 200
    except BadFilter as exc:
        form.add_error(None, exc)
        return form, ContactPoint.objects.none(), 400


@member_required
@require_GET
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, contacts, status = _search(request)
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    access.record_contact_reads(request.user, page.object_list, "search")
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    return render(request, "directory/search.html", context, status=status)


def _asked_topic(request: HttpRequest, contact: ContactPoint) -> str:
    """The topic a request from this contact's page is about: the one the search or route that
    led here asked for (``?topic=``), if the contact lists it; else its only topic, if one."""
    asked = request.GET.get("topic", "")
    if asked in contact.topic_list:
        return asked
    return contact.topic_list[0] if len(contact.topic_list) == 1 else ""


@member_required
@require_GET
def contact_detail(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = access.read_contact(request.user, contact_id)
    can_edit = policy.can_edit_directory(request.user, contact.organisation)
    context = {
        "contact": contact,
        "actions": organisation_actions(
            request.user, contact.organisation, topic=_asked_topic(request, contact)
        ),
        "can_edit": can_edit,
        "can_verify": policy.can_verify_contacts(request.user),
        "history": contact.changes.all()[:50] if can_edit else None,
    }
    return render(request, "directory/contact.html", context)


def _deputies(org_id: int, exclude: int | None = None) -> list[ContactPoint]:
    qs = ContactPoint.objects.filter(organisation_id=org_id, is_active=True).order_by("office")
    return list(qs.exclude(pk=exclude) if exclude else qs)


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def contact_create(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    org = core_access.access_organisation(request.user, org_id)
    if not policy.can_edit_directory(request.user, org):
        raise PermissionDenied
    form = ContactForm(request.POST or None, deputies=_deputies(org.pk))
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.create_contact(
                acting_user=request.user,
                organisation=org,
                data=form.contact_data(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Contact point saved."))
            return redirect("directory-contact", contact_id=contact.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "directory/contact_form.html", {"form": form, "org": org}, status=status)


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    # The form shows every field: opening it is a read; saving is audited by the service.
    get = request.method == "GET"
    contact = (access.read_contact if get else access.access_contact)(request.user, contact_id)
    if not policy.can_edit_directory(request.user, contact.organisation):
        raise PermissionDenied
    deputies = _deputies(contact.organisation_id, exclude=contact.pk)
    form = ContactForm(
        request.POST or None, initial=ContactForm.initial_for(contact), deputies=deputies
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_contact(
                    acting_user=request.user,
                    contact=contact,
                    data=form.contact_data(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except services.StaleVersion as exc:
                form.add_error(None, exc.message)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Contact point saved."))
                return redirect("directory-contact", contact_id=contact.pk)
    context = {"form": form, "org": contact.organisation, "contact": contact}
    return render(request, "directory/contact_form.html", context, status=status)


@member_required
@require_POST
def contact_confirm(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = access.access_contact(request.user, contact_id)
    services.confirm_contact(acting_user=request.user, contact=contact)
    messages.success(request, _("Confirmed as still true today."))
    return redirect("directory-contact", contact_id=contact.pk)


@member_required
@require_POST
def contact_verify(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = access.access_contact(request.user, contact_id)
    verified = request.POST.get("verified", "1") == "1"
    services.verify_contact(acting_user=request.user, contact=contact, verified=verified)
    messages.success(request, _("Verification recorded."))
    return redirect("directory-contact", contact_id=contact.pk)


# --- Exports ---------------------------------------------------------------------------------


@member_required
@require_GET
def contact_vcard(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = access.access_contact(request.user, contact_id)
    services.record_export(
        acting_user=request.user,
        fmt="vcard",
        contact_ids=[contact.pk],
        filters={},
    )
    response = HttpResponse(exports.vcard(contact), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.vcf"'
    return response


def _csv_response(request: AuthenticatedHttpRequest, contacts: list[ContactPoint]) -> HttpResponse:
    services.record_export(
        acting_user=request.user,
        fmt="csv",
        contact_ids=[c.pk for c in contacts],
        filters=services.export_filters(request.GET),
    )
    response = HttpResponse(exports.csv_text(contacts), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="directory.csv"'
    return response


@member_required
@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form, contacts, status = _search(request)
    if status != 200:
        return render(request, "directory/search.html", {"form": form, "page": []}, status=status)
    rows = list(
        contacts.select_related("deputy") if hasattr(contacts, "select_related") else contacts
    )
    if len(rows) > 1:
        # A list of many people's channels is worth a password re-entry before it leaves.
        return require_sudo_mode(_csv_response)(request, rows)
    return _csv_response(request, rows)


@member_required
@require_GET
def print_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, contacts, status = _search(request)
    rows = list(contacts[:1000])
    if status == 200:
        services.record_export(
            acting_user=request.user,
            fmt="print",
            contact_ids=[c.pk for c in rows],
            filters=services.export_filters(request.GET),
        )
    return render(request, "directory/print.html", {"form": form, "contacts": rows}, status=status)


# --- Overview: route and coverage ------------------------------------------------------------


@member_required
@require_role_check(policy.can_see_directory_overview)
@require_GET
def route(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RouteForm(request.GET or None)
    answer, status = None, 200
    if form.is_bound:
        if form.is_valid():
            try:
                answer = route_contact(request.user, **form.cleaned_data)
            except BadFilter as exc:
                form.add_error(None, exc)
                status = 400
        else:
            status = 400
    return render(request, "directory/route.html", {"form": form, "answer": answer}, status=status)


@member_required
@require_role_check(policy.can_see_directory_overview)
@require_GET
def coverage_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = coverage.coverage()
    shapes = coverage.map_shapes()
    context = {
        "groups": groups,
        "features": coverage.map_features(groups),
        "map_width": shapes["width"],
        "map_height": shapes["height"],
        "statuses": coverage.STATUSES.items(),
        "freshness_chart": coverage.freshness_chart(groups),
    }
    return render(request, "directory/coverage.html", context)


# --- Communication tests ---------------------------------------------------------------------


@member_required
@require_role_check(policy.can_run_communication_test)
@require_http_methods(["GET", "POST"])
def comm_tests(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CommTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            test = services.start_communication_test(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Test started: the messages are on their way."))
            return redirect("directory-comm-test", test_id=test.pk)
    tests = CommunicationTest.objects.all()[:50]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/comm_tests.html", {"form": form, "tests": tests}, status=status
    )


@member_required
@require_GET
def comm_test_detail(request: AuthenticatedHttpRequest, test_id: int) -> HttpResponse:
    test = access.access_communication_test(request.user, test_id)
    receipts = list(test.receipts.select_related("contact__organisation"))
    confirmed = [r for r in receipts if r.confirmed_at]
    context = {"test": test, "receipts": receipts, "confirmed": len(confirmed)}
    return render(request, "directory/comm_test.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, secret: str) -> HttpResponse:
    """The link in a test email. GET shows one button; only POST confirms, so that mail scanners
    that open links on their own cannot confirm for the recipient."""
    if not ratelimit.authorize(
        ratelimits.DIRECTORY_RECEIPT_PER_IP, client_ip(request) or "unknown"
    ):
        return render(request, "ctnet/error.html", {"message": _("Too many attempts.")}, status=429)
    if request.method == "POST":
        if services.confirm_receipt(secret=secret) is None:
            raise Http404
        return render(request, "directory/receipt.html", {"done": True})
    found = services.find_open_receipt(secret)
    if found is None:
        raise Http404
    return render(request, "directory/receipt.html", {"receipt": found})
