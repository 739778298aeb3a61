"""Presentation of screening, shared by API and pages: plain dicts of watchlists, entries, runs,
hits and notices (what the API returns, and what pages start from), and the labels pages add.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ctnet.core import labels
from ctnet.core.models import User
from ctnet.screening.convert import dob_from_json, dob_label
from ctnet.screening.engine.model import BadRow
from ctnet.screening.engine.score import band
from ctnet.screening.models import (
    Entry,
    Hit,
    HitNotice,
    Review,
    ScreeningRun,
    Watchlist,
    WatchlistImport,
)
from ctnet.screening.policy import policy
from ctnet.screening.services.runs import RunResult

_NAME_REASON = re.compile(r"^name:([0-9.]+)\((\w+)\)$")


def _name_kinds() -> dict[str, str]:
    return {
        "primary": _("the listed name"),
        "strong_alias": _("a strong alias"),
        "weak_alias": _("a weak alias (nickname)"),
        "original_script": _("the name in original script"),
    }


def _reason_texts() -> dict[str, str]:
    return {
        "dob:exact_match": _("Same date of birth."),
        "dob:year_match": _("Same year of birth."),
        "dob:range_match": _("Year of birth within the listed range."),
        "dob:near": _("Year of birth close to a listed one."),
        "dob:conflict": _("Date of birth differs from every listed one (lowers the score)."),
        "nationality:match": _("Same nationality."),
        "nationality:mismatch": _("Another nationality (lowers the score a little)."),
        # Kept for hits scored before issue 12, when a missing date of birth lowered the score.
        "name_only": _("Name only: no date of birth or document confirms it (lowers the score)."),
        "year_only": _("Only the year of birth agrees (lowers the score)."),
        "document:exact": _("Same travel document number (strong evidence)."),
        "name_alone": _(
            "Only the name matches: no date of birth or document confirms or contradicts it."
        ),
    }


def _band_labels() -> dict[str, str]:
    return {
        "strong": _("strong match"),
        "possible": _("possible match"),
        "weak": _("weak match (below the threshold)"),
    }


def score_band(score: float) -> str:
    """The engine's band of a score, at the deployment's threshold (not a lower one asked for in
    one call: a match shown only because of it reads "weak")."""
    return band(score, settings.SCREENING_THRESHOLD)


def band_label(score: float) -> str:
    """The band of a score in the reviewer's words."""
    return _band_labels()[score_band(score)]


def explain(reason: str) -> str:
    """One engine reason code in plain words for the reviewer."""
    found = _NAME_REASON.match(reason)
    if found:
        kind = _name_kinds().get(found.group(2), found.group(2))
        return _("Name similarity %(score)s with %(kind)s.") % {
            # The engine writes "1.00"; the reviewer reads their language's decimal ("1,00").
            "score": formats.number_format(float(found.group(1)), 2),
            "kind": kind,
        }
    return _reason_texts().get(reason, reason)


def marking_header(w: Watchlist) -> str:
    """The marking entry details carry (``X-Marking``), e.g. ``TLP:AMBER; H1; H2``: H1 (not for
    court without the owner's permission) and H2 (no onward sharing) travel with them."""
    return "; ".join([f"TLP:{w.tlp}", *w.handling])


def marking_dict(w: Watchlist) -> dict[str, Any]:
    """A list's marking, for every answer that carries its entries."""
    return {"tlp": w.tlp, "codes": list(w.handling), "note": w.handling_note}


def watchlist_dict(w: Watchlist, user: Any = None) -> dict[str, Any]:
    return {
        "id": w.pk,
        "name": w.name,
        "description": w.description,
        "source": w.source,
        "owner": w.originator.code,
        "tlp": w.tlp,
        "handling": list(w.handling),
        "handling_note": w.handling_note,
        "legal_basis": w.legal_basis,
        "purpose": w.purpose,
        "default_legal_status": w.default_legal_status,
        "entries_visible": w.entries_visible,
        "hit_retention_days": w.hit_retention_days,
        "review_days": w.review_days,
        "is_active": w.is_active,
        "edition": w.edition,
        "last_import_at": w.last_import_at,
        "can_manage": bool(user and policy.can_manage_watchlist(user, w)),
    }


def entry_dict(e: Entry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "watchlist": e.watchlist_id,
        "ref": e.ref,
        "data_id": e.data_id,
        "entity_type": e.entity_type,
        "primary_name": e.primary_name,
        "names": e.names,
        "dobs": e.dobs,
        "places_of_birth": e.places_of_birth,
        "nationalities": e.nationalities,
        "documents": e.documents,
        "gender": e.gender,
        "listed_on": e.listed_on,
        "reason": e.reason,
        "legal_basis": e.legal_basis,
        "legal_status": e.legal_status,
        "review_date": e.review_date,
        "status": e.status,
        "delisted_at": e.delisted_at,
        "version": e.version,
    }


def entry_ref_dict(e: Entry) -> dict[str, Any]:
    """What a screener of a closed list learns: which list and reference, whom to ask."""
    w = e.watchlist
    return {
        "id": e.pk,
        "watchlist": w.pk,
        "watchlist_name": w.name,
        "owner": w.originator.code,
        "ref": e.ref,
        "status": e.status,
        "version": e.version,
    }


def import_dict(job: WatchlistImport) -> dict[str, Any]:
    return {
        "id": job.pk,
        "watchlist": job.watchlist_id,
        "at": job.at,
        "file_name": job.file_name,
        "sha256": job.sha256,
        "format": job.format,
        "edition": job.edition,
        "added": job.added,
        "changed": job.changed,
        "delisted": job.delisted,
        "relisted": job.relisted,
        "unchanged": job.unchanged,
        "report": job.report,
    }


def run_dict(run: ScreeningRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "at": run.at,
        "channel": run.channel,
        "purpose": run.purpose,
        "source_name": run.source_name,
        "flight": run.flight,
        "threshold": run.threshold,
        "travellers": run.travellers,
        "bad_rows": run.bad_rows,
        "travellers_with_matches": run.travellers_with_matches,
        "possible_matches": run.possible_matches,
        "suppressed_false_positives": run.suppressed,
        "duration_ms": run.duration_ms,
    }


def hit_dict(hit: Hit, user: Any) -> dict[str, Any]:
    entry = hit.entry
    visible = policy.can_see_entries(user, entry.watchlist)
    return {
        "id": hit.pk,
        "run": hit.run_id,
        "status": hit.status,
        "score": hit.score,
        "band": score_band(hit.score),
        "band_label": band_label(hit.score),
        "reasons": hit.reasons,
        "explanation": [explain(r) for r in hit.reasons],
        "traveller": {
            "ref": hit.traveller_ref,
            "name": hit.traveller_name,
            "dob": hit.traveller_dob,
            "nationality": hit.traveller_nationality,
            "document": hit.traveller_document,
        },
        "entry": entry_dict(entry) if visible else entry_ref_dict(entry),
        "entry_details_visible": visible,
        "entry_changed_since": entry.version != hit.entry_version,
        "proposed_by": hit.proposed_by.get_username() if hit.proposed_by else None,
        "notify_owner": hit.notify_owner,
        "disseminate": hit.disseminate,
        "created_at": hit.created_at,
        "decided_at": hit.decided_at,
        "retain_until": hit.retain_until,
    }


def notice_dict(n: HitNotice) -> dict[str, Any]:
    return {
        "id": n.pk,
        "entry": {"id": n.entry_id, "ref": n.entry.ref, "watchlist": n.entry.watchlist.name},
        "owner": n.owner.code,
        "sender": n.sender.code,
        "traveller": n.traveller or None,
        "flight": n.flight,
        "created_at": n.created_at,
        "acknowledged_at": n.acknowledged_at,
        "retain_until": n.retain_until,
    }


def notice_row_dict(n: HitNotice) -> dict[str, Any]:
    """A notice in a list: whether it carries a traveller's details, not the details (reading
    them is opening the notice, which is audited)."""
    return {**notice_dict(n), "traveller": None, "traveller_details": bool(n.traveller)}


def entry_row_dict(e: Entry) -> dict[str, Any]:
    """An entry in a page of a list's entries."""
    return {"id": e.pk, "ref": e.ref, "primary_name": e.primary_name, "status": e.status}


def bad_rows_dicts(bad: Sequence[BadRow]) -> list[dict[str, Any]]:
    return [{"line": b.line, "message": b.message} for b in bad]


def run_result_dict(result: RunResult, user: User) -> dict[str, Any]:
    """What a screening call answers: the run, travellers with their possible matches, bad rows."""
    return {
        "run": run_dict(result.run),
        "results": [
            {
                "traveller_id": r.traveller.traveller_id,
                "possible_matches": [hit_dict(h, user) for h in r.hits],
            }
            for r in result.results
        ],
        "bad_rows": bad_rows_dicts(result.bad),
    }


def run_detail_dict(run: ScreeningRun) -> dict[str, Any]:
    return {
        **run_dict(run),
        "watchlists": [{"id": w.pk, "name": w.name} for w in run.watchlists.order_by("pk")],
    }


def review_dict(r: Review) -> dict[str, Any]:
    return {
        "by": r.user.get_username(),
        "action": r.action,
        "outcome": r.outcome,
        "reason": r.reason,
        "at": r.at,
    }


# --- Labels for pages ------------------------------------------------------------------------

_NAME_KIND_LABELS = {
    "primary": gettext_lazy("listed name"),
    "strong_alias": gettext_lazy("strong alias"),
    "weak_alias": gettext_lazy("weak alias (nickname)"),
    "original_script": gettext_lazy("original script"),
}
FIELD_LABELS = {
    "names": gettext_lazy("names"),
    "dobs": gettext_lazy("dates of birth"),
    "places_of_birth": gettext_lazy("places of birth"),
    "nationalities": gettext_lazy("nationalities"),
    "documents": gettext_lazy("documents"),
    "gender": gettext_lazy("gender"),
    "entity_type": gettext_lazy("kind"),
    "listed_on": gettext_lazy("listed on"),
    "reason": gettext_lazy("reason for listing"),
}
_FLIGHT_LABELS = {
    "carrier": gettext_lazy("Carrier"),
    "flight_number": gettext_lazy("Flight"),
    "departure_airport": gettext_lazy("Departure airport"),
    "arrival_airport": gettext_lazy("Arrival airport"),
    "departure_time": gettext_lazy("Departure"),
    "arrival_time": gettext_lazy("Arrival"),
    "reference": gettext_lazy("Message reference"),
    "list_kind": gettext_lazy("List"),
    "sender": gettext_lazy("Sent by"),
    "recipient": gettext_lazy("Sent to"),
}


# The kinds of PAXLST message (``Paxlst.list_kind``), as the run page names them.
PAXLST_LIST_KINDS = {
    "passengers": gettext_lazy("passengers"),
    "crew": gettext_lazy("crew"),
}


# An entry's kind and gender as the UN list writes them (``engine/unlist.py``, lower case).
ENTITY_TYPES = {
    "individual": gettext_lazy("individual"),
    "entity": gettext_lazy("entity (group or undertaking)"),
}
GENDERS = {
    "male": gettext_lazy("male"),
    "female": gettext_lazy("female"),
}


# The keys of screening's audit details (an import, a screening, a watchlist's marking), as the
# audit page names them.
AUDIT_DETAIL_KEYS = {
    "import": gettext_lazy("Import"),
    "sha256": gettext_lazy("File fingerprint (SHA-256)"),
    "edition": gettext_lazy("Edition"),
    "added": gettext_lazy("Added"),
    "changed": gettext_lazy("Changed"),
    "delisted": gettext_lazy("De-listed"),
    "relisted": gettext_lazy("Listed again"),
    "unchanged": gettext_lazy("Unchanged"),
    "checkpoint": gettext_lazy("Index checkpoint"),
    "entries_visible": gettext_lazy("Entries visible to recipients"),
    "channel": gettext_lazy("How"),
    "travellers": gettext_lazy("Travellers"),
    "bad_rows": gettext_lazy("Rows that could not be read"),
    "possible_matches": gettext_lazy("Possible matches"),
    "seen_again": gettext_lazy("Found again (raised by an earlier screening)"),
    "suppressed_false_positives": gettext_lazy("Not raised again (remembered false positives)"),
    "watchlists": gettext_lazy("Watchlists"),
    "hits": gettext_lazy("Possible matches (ids)"),
    "hits_seen_again": gettext_lazy("Possible matches found again (ids)"),
    "due": gettext_lazy("Due"),
    "mails": gettext_lazy("E-mails"),
}


def _flight_value(key: str, value: Any) -> Any:
    return labels.label("screening.paxlst_list_kind", value) if key == "list_kind" else value


def flight_facts(flight: dict[str, Any]) -> list[tuple[str, Any]]:
    """The flight facts of a PAXLST message, labelled, in a fixed order (no person in them)."""
    known = [
        (str(label), _flight_value(key, flight[key]))
        for key, label in _FLIGHT_LABELS.items()
        if key in flight
    ]
    return known + sorted((k, v) for k, v in flight.items() if k not in _FLIGHT_LABELS)


def entry_facts(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's names, dates, places and documents as a reviewer reads them."""
    places = [
        ", ".join(p for p in (pl.get("city"), pl.get("state_province"), pl.get("country")) if p)
        for pl in entry.get("places_of_birth", [])
    ]
    return {
        "names": [
            {
                "text": n["text"],
                "kind": _NAME_KIND_LABELS.get(n["kind"], n["kind"]),
                "original": n["kind"] == "original_script",
            }
            for n in entry.get("names", [])
        ],
        "dobs": [dob_label(dob_from_json(d)) for d in entry.get("dobs", [])],
        "places": [p for p in places if p],
        "documents": [
            " ".join(x for x in (d.get("type"), d.get("number"), d.get("country")) if x)
            for d in entry.get("documents", [])
        ],
    }


def hit_view(hit: Hit, user: User) -> dict[str, Any]:
    """A hit as a page shows it: the API's dict with labels and the entry's facts."""
    data = hit_dict(hit, user)
    data["status_label"] = hit.get_status_display()
    data["watchlist_name"] = hit.entry.watchlist.name
    data["owner"] = hit.entry.watchlist.originator.code
    data["legal_status_label"] = hit.entry.get_legal_status_display()
    data["facts"] = entry_facts(data["entry"]) if data["entry_details_visible"] else None
    return data


def import_changes(job: WatchlistImport) -> list[tuple[str, list[Any]]]:
    """The entries an import changed, with the labels of the fields that changed."""
    return [
        (ref, [FIELD_LABELS.get(f, f) for f in fields])
        for ref, fields in sorted(job.report.get("changed", {}).items())
    ]
