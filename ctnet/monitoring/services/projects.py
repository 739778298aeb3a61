"""Writes of projects: create, change, partners, budgets, disbursements, documents, marking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctnet.core import audit, remarking
from ctnet.core.markings import TLP, clean_handling
from ctnet.core.models import Organisation, User
from ctnet.core.policy import acting_org

from ..models import (
    Budget,
    Disbursement,
    Partner,
    PartnerRole,
    Project,
    ProjectDocument,
    ProjectStatus,
)
from ..policy import policy
from ..storage import NewFile, check_and_store
from ..validation import check_dates, clean_countries, clean_themes, decimal_or_none

# Projects are a portfolio shared with donors and partners: RED (named people only) is not a
# level a project can usefully carry.
PROJECT_TLP = (TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT)
MAX_PARTNERS = 50
MAX_MONEY_ROWS = 200


def _check_tlp(tlp: str) -> None:
    if tlp not in PROJECT_TLP:
        raise ValidationError(_("A project is marked CLEAR, GREEN, AMBER or AMBER+STRICT."))


def _clean_partners(partners: Sequence[dict[str, Any]]) -> list[Partner]:
    if len(partners) > MAX_PARTNERS:
        raise ValidationError(_("A project has at most %(n)d partners.") % {"n": MAX_PARTNERS})
    rows = []
    for p in partners:
        role = str(p.get("role", ""))
        if role not in PartnerRole.values:
            raise ValidationError(_("Unknown partner role: %(role)s.") % {"role": role})
        org = p.get("organisation")
        name = str(p.get("name") or (org.name if isinstance(org, Organisation) else "")).strip()
        if not name:
            raise ValidationError(_("A partner needs a name or a network organisation."))
        rows.append(Partner(organisation=org, name=name[:300], role=role))
    return rows


def _clean_money(rows: Sequence[dict[str, Any]], *, budget: bool) -> list[Any]:
    if len(rows) > MAX_MONEY_ROWS:
        raise ValidationError(_("Too many budget or disbursement lines."))
    clean: list[Any] = []
    for row in rows:
        value = decimal_or_none(row.get("value"), _("An amount"))
        if value is None or value < 0:
            raise ValidationError(_("An amount must be zero or more."))
        if budget:
            check_dates(row["period_start"], row["period_end"])
            clean.append(
                Budget(period_start=row["period_start"], period_end=row["period_end"], value=value)
            )
        else:
            clean.append(
                Disbursement(
                    date=row["date"], value=value, description=str(row.get("description", ""))[:300]
                )
            )
    return clean


def create_project(
    *,
    acting_user: User,
    iati_identifier: str,
    title: str,
    start_date: date,
    end_date: date,
    description: str = "",
    status: str = "2",
    countries: Sequence[str] = (),
    themes: Sequence[str] = (),
    currency: str = "USD",
    tlp: str = TLP.AMBER,
    handling: Sequence[str] = (),
    handling_note: str = "",
    recipients: Sequence[Organisation] = (),
    partners: Sequence[dict[str, Any]] = (),
    budgets: Sequence[dict[str, Any]] = (),
    disbursements: Sequence[dict[str, Any]] = (),
    audit_action: str = "monitoring.project.create",
) -> Project:
    if not policy.can_create_project(acting_user):
        raise PermissionDenied(_("Only the heads of a Compact entity may create projects."))
    org = acting_org(acting_user)
    _check_tlp(tlp)
    codes, note = clean_handling(list(handling), handling_note)
    check_dates(start_date, end_date)
    if status not in ProjectStatus.values:
        raise ValidationError(_("Unknown project status: %(s)s.") % {"s": status})
    identifier = iati_identifier.strip()
    if not identifier or not title.strip():
        raise ValidationError(_("A project needs an IATI identifier and a title."))
    if Project.objects.filter(iati_identifier=identifier).exists():
        raise ValidationError(_("A project with this IATI identifier exists already."))
    partner_rows = _clean_partners(partners)
    budget_rows = _clean_money(budgets, budget=True)
    paid_rows = _clean_money(disbursements, budget=False)
    project = Project(
        originator=org,
        created_by=acting_user,
        tlp=tlp,
        handling=codes,
        handling_note=note,
        iati_identifier=identifier,
        title=title.strip()[:300],
        description=description.strip(),
        status=status,
        start_date=start_date,
        end_date=end_date,
        countries=clean_countries(list(countries)),
        themes=clean_themes(list(themes)),
        currency=(currency or "USD").upper()[:3],
    )
    with transaction.atomic():
        project.save()
        if recipients:
            project.recipient_orgs.set(recipients)
        for row in [*partner_rows, *budget_rows, *paid_rows]:
            row.project = project
        Partner.objects.bulk_create(partner_rows)
        Budget.objects.bulk_create(budget_rows)
        Disbursement.objects.bulk_create(paid_rows)
        reached = _reach_implementers(project, partner_rows)
        audit.record(
            audit_action,
            actor=acting_user,
            obj=project,
            detail={
                "tlp": tlp,
                "partners": len(partner_rows),
                "budgets": len(budget_rows),
                "recipients_added": reached,
            },
        )
    return project


EDITABLE = (
    "title",
    "description",
    "status",
    "start_date",
    "end_date",
    "countries",
    "themes",
    "partners",
    "donors",
    "implementers",
)
# ``donors`` and ``implementers`` replace the partners of one role and keep the others;
# ``partners`` replaces them all.
ROLE_OF = {"donors": PartnerRole.FUNDING, "implementers": PartnerRole.IMPLEMENTING}


def _reach_implementers(project: Project, partners: Sequence[Partner]) -> list[str]:
    """Implementing partners report on the project, so on an AMBER project their organisations
    are among its recipients (added, never removed here: only a marking change narrows who
    reads). Returns the codes added, for the audit row."""
    if project.tlp not in (TLP.AMBER, TLP.AMBER_STRICT):
        return []
    wanted = {
        p.organisation for p in partners if p.role == PartnerRole.IMPLEMENTING and p.organisation
    }
    present = set(project.recipient_orgs.all())
    added = sorted(wanted - present, key=lambda o: o.code)
    if added:
        project.recipient_orgs.add(*added)
    return [o.code for o in added]


def _party(partner: Partner) -> str:
    org = partner.organisation
    return f"{partner.name} ({org.code})" if org is not None else partner.name


def _partners_after(project: Project, changes: dict[str, Any]) -> list[Partner] | None:
    """The project's partners once ``changes`` apply, checked; None when they do not change."""
    by_role = [key for key in ROLE_OF if key in changes]
    if "partners" in changes and by_role:
        raise ValidationError(_("Give the partners, or the donors and implementers, not both."))
    if "partners" in changes:
        return _clean_partners(list(changes.pop("partners")))
    if not by_role:
        return None
    replaced = {ROLE_OF[key] for key in by_role}
    rows = [
        {"role": p.role, "organisation": p.organisation, "name": p.name}
        for p in project.partners.select_related("organisation")
        if p.role not in replaced
    ]
    for key in by_role:
        rows += [{**dict(p), "role": ROLE_OF[key]} for p in changes.pop(key)]
    return _clean_partners(rows)


def update_project(*, acting_user: User, project: Project, **changes: Any) -> Project:
    """Change the project's own fields and its partners (not its marking:
    ``change_project_marking``). Partners are replaced as a whole (``partners``) or by role
    (``donors``, ``implementers``: each a list of ``{"organisation": ..., "name": ...}``)."""
    if not policy.can_manage_project(acting_user, project):
        raise PermissionDenied(_("Only the owning entity's heads may change this project."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    if "title" in changes:
        changes["title"] = str(changes["title"] or "").strip()[:300]
        if not changes["title"]:
            raise ValidationError(_("A project needs an IATI identifier and a title."))
    if "description" in changes:
        changes["description"] = str(changes["description"] or "").strip()
    if "status" in changes and changes["status"] not in ProjectStatus.values:
        raise ValidationError(_("Unknown project status: %(s)s.") % {"s": changes["status"]})
    if "countries" in changes:
        changes["countries"] = clean_countries(list(changes["countries"]))
    if "themes" in changes:
        changes["themes"] = clean_themes(list(changes["themes"]))
    check_dates(
        changes.get("start_date", project.start_date), changes.get("end_date", project.end_date)
    )
    fields = sorted(changes)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        partner_rows = _partners_after(locked, changes)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changes, "updated_at"])
        detail: dict[str, Any] = {"fields": fields}
        if partner_rows is not None:
            # Who reports follows the implementing partners: the new set is in the audit row.
            locked.partners.all().delete()
            for row in partner_rows:
                row.project = locked
            Partner.objects.bulk_create(partner_rows)
            detail["partners"] = len(partner_rows)
            for key, role in ROLE_OF.items():
                detail[key] = [_party(p) for p in partner_rows if p.role == role]
            detail["recipients_added"] = _reach_implementers(locked, partner_rows)
        audit.record("monitoring.project.update", actor=acting_user, obj=locked, detail=detail)
    return locked


def add_budget(
    *, acting_user: User, project: Project, period_start: date, period_end: date, value: Any
) -> Budget:
    if not policy.can_manage_project(acting_user, project):
        raise PermissionDenied(_("Only the owning entity's heads may change this project."))
    (row,) = _clean_money(
        [{"period_start": period_start, "period_end": period_end, "value": value}], budget=True
    )
    row.project = project
    with transaction.atomic():
        row.save()
        audit.record(
            "monitoring.budget.add", actor=acting_user, obj=project, detail={"budget": row.pk}
        )
    return row


def add_disbursement(
    *, acting_user: User, project: Project, date: date, value: Any, description: str = ""
) -> Disbursement:
    if not policy.can_manage_project(acting_user, project):
        raise PermissionDenied(_("Only the owning entity's heads may change this project."))
    (row,) = _clean_money(
        [{"date": date, "value": value, "description": description}], budget=False
    )
    row.project = project
    with transaction.atomic():
        row.save()
        audit.record(
            "monitoring.disbursement.add",
            actor=acting_user,
            obj=project,
            detail={"disbursement": row.pk},
        )
    return row


def add_document(
    *, acting_user: User, project: Project, title: str, new_file: NewFile
) -> ProjectDocument:
    if not policy.can_manage_project(acting_user, project):
        raise PermissionDenied(_("Only the owning entity's heads may change this project."))
    content_type, digest = check_and_store(new_file)
    document = ProjectDocument(
        project=project,
        title=(title or new_file.filename).strip()[:300],
        file_name=new_file.filename[:200],
        content_type=content_type,
        size=len(new_file.data),
        sha256=digest,
        uploaded_by=acting_user,
    )
    with transaction.atomic():
        document.save()
        audit.record(
            "monitoring.document.add",
            actor=acting_user,
            obj=project,
            detail={"document": document.pk, "sha256": digest, "size": document.size},
        )
    return document


def change_project_marking(
    *,
    acting_user: User,
    project: Project,
    tlp: str,
    handling: Sequence[str],
    handling_note: str | None = None,
) -> Project:
    """Raise (any reader) or lower (the owner) a project's marking, through core's one rule."""
    _check_tlp(tlp)
    return remarking.change_marking(
        acting_user=acting_user,
        obj=project,
        tlp=tlp,
        handling=handling,
        handling_note=handling_note,
        action="monitoring.project.marking",
    )
