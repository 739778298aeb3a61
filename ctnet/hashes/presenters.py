"""Plain-dict views of banks and signals, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from ctnet.hashes.models import Bank, Signal, SignalStatus


def bank_dict(bank: Bank) -> dict[str, Any]:
    return {
        "id": bank.pk,
        "name": bank.name,
        "description": bank.description,
        "kind": bank.kind,
        "owner": bank.originator.code,
        "tlp": bank.tlp,
        "handling": bank.handling,
        "handling_note": bank.handling_note,
        "requires_confirmation": bank.requires_confirmation,
        "legal_basis": bank.legal_basis,
        "is_open": bank.is_open,
        "incident": bank.incident,
        "crisis_state": bank.crisis_state,
        "crisis_end": bank.crisis_end,
        "crisis_started_at": bank.crisis_started_at,
        "crisis_ends_at": bank.crisis_ends_at,
    }


def list_vouchers(signal: Signal) -> list[dict[str, Any]]:
    """Who vouched: the contributor, then each confirming organisation (prefetched)."""
    people = [
        {
            "organisation": signal.contributor.code,
            "name": signal.contributor.name,
            "as": "contributor",
            "at": signal.created_at,
        }
    ]
    people += [
        {
            "organisation": c.organisation.code,
            "name": c.organisation.name,
            "as": "confirmer",
            "at": c.at,
        }
        for c in signal.confirmations.all()
    ]
    return people


def signal_dict(signal: Signal, *, with_vouchers: bool = True) -> dict[str, Any]:
    data = {
        "id": signal.pk,
        "bank_id": signal.bank_id,
        "bank": signal.bank.name,
        "signal_type": signal.signal_type,
        "value": signal.hash_value,
        "quality": signal.quality,
        "status": signal.status,
        "disputed": signal.status == SignalStatus.DISPUTED,
        "labels": {
            "category": signal.category,
            "entity": signal.entity,
            "behaviour": signal.behaviour,
            "incident": signal.incident,
        },
        "contributor": signal.contributor.code,
        "legal_basis": signal.legal_basis,
        "tlp": signal.bank.tlp,
        # The bank's handling codes travel with every copy (H1: not for court without the
        # owner's permission; H2: no onward sharing).
        "handling": signal.bank.handling,
        "trust_score": signal.trust_score,
        "match_count": signal.match_count,
        "created_at": signal.created_at,
    }
    if with_vouchers:
        data["vouched_by"] = list_vouchers(signal)
    return data
