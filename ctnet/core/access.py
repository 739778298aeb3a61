"""Fetch helpers: each returns the object or raises Http404, for missing and forbidden alike."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from ctnet.core import services
from ctnet.core.markings import AUDITED_READ_TLP
from ctnet.core.models import ApiToken, Invitation, Membership, Organisation
from ctnet.core.orgnames import match_organisations
from ctnet.core.policy import policy

M = TypeVar("M", bound=Model)


def access_organisation(user: Any, org_id: int) -> Organisation:
    if not policy.can_list_organisations(user):
        raise Http404
    try:
        return Organisation.objects.get(pk=org_id, is_active=True)
    except Organisation.DoesNotExist:
        raise Http404 from None


def filter_organisations(
    qs: QuerySet[Organisation], *, kind: str = "", un_group: str = "", q: str = ""
) -> QuerySet[Organisation]:
    """The organisation list filters shared by the page and the API."""
    if kind:
        qs = qs.filter(kind=kind)
    if un_group:
        qs = qs.filter(un_group=un_group)
    if q:
        # Names live in a JSON column in six languages: matched in Python (accents, case and
        # pycountry's short names aside), over a table of about 250 rows.
        qs = qs.filter(pk__in=[o.pk for o in match_organisations(qs, q)])
    return qs


def organisations_by_code(codes: list[str]) -> list[Organisation]:
    """Active organisations for codes typed by a person (any case, spaces around), in the order
    given; every unknown code is named in one ValidationError (400 in the API, a form error on
    pages). The recipients of markings, sharing groups and watchlists all come through here."""
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    found = {o.code: o for o in Organisation.objects.filter(code__in=wanted, is_active=True)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError(
            _("Unknown organisation(s): %(codes)s") % {"codes": ", ".join(missing)}
        )
    return [found[c] for c in wanted]


def visible_member_orgs(user: Any) -> QuerySet[Organisation]:
    """Organisations whose member list this user may see (the rule: ``member_orgs_q``)."""
    q = policy.member_orgs_q(user)
    return Organisation.objects.none() if q is None else Organisation.objects.filter(q)


def access_member_list(user: Any, org_id: int) -> Organisation:
    """An organisation whose people this user may see (their own; any for the secretariat)."""
    org = visible_member_orgs(user).filter(pk=org_id).first()
    if org is None:
        raise Http404
    return org


def access_membership(user: Any, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, organisation__in=visible_member_orgs(user))
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def access_invitation(user: Any, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(pk=invitation_id, organisation__in=visible_member_orgs(user))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def access_own_token(user: Any, token_id: int) -> ApiToken:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    token = ApiToken.objects.filter(pk=token_id, user_id=user.pk).first()
    if token is None:
        raise Http404
    return token


def access_marked(user: Any, model: type[M], obj_id: Any) -> M:
    """Any marked object, through the one visibility rule of the policy.

    Opening an AMBER or RED object is written to the audit log here, once for every app, so no
    view can forget it (DESIGN.md rule 5).
    """
    obj = model._default_manager.filter(pk=obj_id).visible_to(user).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404
    if obj.tlp in AUDITED_READ_TLP:
        services.record_read(acting_user=user, obj=obj, why=f"TLP:{obj.tlp}")
    return obj
