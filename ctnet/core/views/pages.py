"""Pages: home, profile and tokens, organisations and members, invitations, audit, health."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet import ratelimits
from ctnet.core import access, ratelimit, services
from ctnet.core.auditlog import filter_events, record_log_read
from ctnet.core.decorators import member_required, require_role_check, require_sudo_mode
from ctnet.core.forms import (
    AcceptInvitationForm,
    AuditFilterForm,
    InviteForm,
    OrganisationFilterForm,
    ProfileForm,
    RoleForm,
    TokenForm,
)
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.middleware import client_ip
from ctnet.core.models import Organisation, Role
from ctnet.core.policy import ROLES_BY_KIND, policy
from ctnet.core.views.auth import set_language_cookie

PAGE_SIZE = 50


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database reachability, for load balancers; no session, no template."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@member_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "ctnet/home.html")


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.preferred_language,
        "time_zone": user.time_zone,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.update_profile(acting_user=user, **form.cleaned_data)
            messages.success(request, _("Profile saved."))
            response = redirect("profile")
            set_language_cookie(response, form.cleaned_data["language"])
            return response
        return render(request, "ctnet/profile.html", _profile_context(request, form), status=400)
    return render(request, "ctnet/profile.html", _profile_context(request, form))


def _profile_context(request: AuthenticatedHttpRequest, form: ProfileForm) -> dict:
    return {
        "form": form,
        "token_form": TokenForm(),
        "tokens": request.user.api_tokens.order_by("-created_at")[:50],
        "recovery_left": services.recovery_codes_left(request.user),
    }


@never_cache
@member_required
@require_POST  # a wrong method is a 405, not a trip to the password page
@require_sudo_mode
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "ctnet/profile.html",
            {**_profile_context(request, ProfileForm()), "token_form": form},
            status=400,
        )
    issued = services.create_api_token(acting_user=request.user, **form.cleaned_data)
    return render(request, "ctnet/token_created.html", {"plaintext": issued.plaintext})


@never_cache
@member_required
@require_POST  # a wrong method is a 405, not a trip to the password page
@require_sudo_mode
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new set of recovery codes, shown once (the password is asked again first)."""
    codes = services.issue_recovery_codes(acting_user=request.user)
    return render(request, "ctnet/recovery_codes.html", {"codes": codes})


@member_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = access.access_own_token(request.user, token_id)
    services.revoke_api_token(acting_user=request.user, token=token)
    messages.success(request, _("Token revoked."))
    return redirect("profile")


@member_required
@require_GET
def organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    qs = Organisation.objects.filter(is_active=True).order_by("kind", "code")
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        qs = access.filter_organisations(qs, **form.cleaned_data)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ctnet/organisations.html", {"form": form, "page": page}, status=status)


@member_required
@require_GET
def organisation_detail(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    org = access.access_organisation(request.user, org_id)
    can_see_members = access.visible_member_orgs(request.user).filter(pk=org.pk).exists()
    can_manage = policy.can_manage_members(request.user, org)
    grantable = [
        r for r in ROLES_BY_KIND.get(org.kind, ()) if policy.can_grant_role(request.user, org, r)
    ]
    role_choices = [(role.value, role.label) for role in Role if role in grantable]
    invite_form = InviteForm()
    cast(forms.ChoiceField, invite_form.fields["role"]).choices = role_choices
    context = {
        "org": org,
        "members": org.memberships.select_related("user").order_by("user__username")
        if can_see_members
        else None,
        "invitations": org.invitation_set.filter(accepted_at=None, revoked_at=None)
        if can_manage
        else None,
        "can_manage": can_manage,
        "invite_form": invite_form if grantable else None,
        "role_choices": role_choices,
    }
    return render(request, "ctnet/organisation.html", context)


@member_required
@require_POST
def invite(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    org = access.access_organisation(request.user, org_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the email address and role."))
        return redirect("organisation", org_id=org.pk)
    services.invite_member(acting_user=request.user, organisation=org, **form.cleaned_data)
    messages.success(
        request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return redirect("organisation", org_id=org.pk)


@member_required
@require_POST
def member_role(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    membership = access.access_membership(request.user, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown role."))
    else:
        services.change_member_role(
            acting_user=request.user,
            membership=membership,
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("Role changed."))
    return redirect("organisation", org_id=membership.organisation_id)


@member_required
@require_POST
def member_deactivate(request: AuthenticatedHttpRequest, membership_id: int) -> HttpResponse:
    membership = access.access_membership(request.user, membership_id)
    services.deactivate_membership(acting_user=request.user, membership=membership)
    messages.success(request, _("Member removed."))
    return redirect("organisation", org_id=membership.organisation_id)


@member_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, invitation_id: int) -> HttpResponse:
    invitation = access.access_invitation(request.user, invitation_id)
    services.revoke_invitation(acting_user=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("organisation", org_id=invitation.organisation_id)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, secret: str) -> HttpResponse:
    if not ratelimit.authorize(ratelimits.INVITE_PER_IP, client_ip(request) or "unknown"):
        return render(request, "ctnet/error.html", {"message": _("Too many attempts.")}, status=429)
    invitation = services.find_open_invitation(secret)
    if invitation is None:
        raise Http404
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(secret=secret, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Welcome. Sign in to set up your second factor."))
            return redirect("login")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "ctnet/accept_invitation.html",
        {"form": form, "invitation": invitation},
        status=status,
    )


@member_required
@require_role_check(policy.can_read_audit)
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    status = 200
    events = filter_events()
    if form.is_bound:
        if form.is_valid():
            events = filter_events(**form.cleaned_data)
        else:
            status = 400
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: shown and recorded alike
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    record_log_read(
        acting_user=request.user,
        via="page",
        filters={**chosen, "page": page.number},
        shown=page.object_list,
        count=page.paginator.count,
    )
    return render(request, "ctnet/audit.html", {"form": form, "page": page}, status=status)
