"""STIX 2.1 export of a bulletin's shareable indicators, marked with TLP 2.0 and its handling
codes.

The ``stix2`` library predefines only the TLP 1.0 markings (``TLP_WHITE`` ... ``TLP_RED``).
TLP 2.0 is published by OASIS as a property extension with fixed marking-definition ids
(cti-stix-common-objects, extension-definition-specifications/tlp-2.0); those exact objects are
rebuilt here, because consumers recognise the marking by its id.

Handling codes have no STIX vocabulary, so each travels as a *statement* marking definition
(STIX 2.1 section 7.2.1.3) with a fixed id per code (UUIDv5 of the code) and a fixed English
statement; H3 carries the originator's note, and an export under an approved release carries
the originator's conditions, both as statements of their own. Every object refers to the TLP
marking and to every statement, so a consumer that drops one object still sees the rules.
Whether the bundle may be exported at all is ``policy.can_take_out`` (the API checks it).
"""

from __future__ import annotations

import uuid
from typing import Any

import stix2

from ctnet.exchange.indicators import stix_pattern
from ctnet.exchange.models import Bulletin

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"
TLP2_IDS = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
# Stable ids: exporting the same bulletin twice yields the same objects, so importers dedupe.
NAMESPACE = uuid.UUID("6f0e2b4c-3d1a-5e8f-9b7c-2a4d6e8f0a1c")


def tlp2_marking(tlp: str) -> stix2.v21.MarkingDefinition:
    return stix2.v21.MarkingDefinition(
        id=TLP2_IDS[tlp],
        created=TLP2_CREATED,
        name=f"TLP:{tlp}",
        extensions={
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.lower()}
        },
    )


# What each handling code says to whoever receives the bundle (not translated: STIX consumers).
HANDLING_STATEMENTS = {
    "H0": "Handling code H0: use only for the stated purpose.",
    "H1": "Handling code H1: not for use in court without the originator's permission.",
    "H2": "Handling code H2: no onward sharing without the originator's permission.",
    "H3": "Handling code H3: other restriction, stated by the originator: ",
}


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _statement(key: str, name: str, text: str, created: Any) -> stix2.v21.MarkingDefinition:
    return stix2.v21.MarkingDefinition(
        id=_id("marking-definition", key),
        created=created,
        name=name,
        definition_type="statement",
        definition=stix2.v21.StatementMarking(statement=text),
    )


def handling_markings(bulletin: Bulletin, conditions: str = "") -> list[Any]:
    """Statement markings for the bulletin's handling codes, and for release conditions."""
    found = []
    for code in bulletin.handling:
        if code == "H3":
            text = HANDLING_STATEMENTS["H3"] + bulletin.handling_note
            found.append(_statement(f"bulletin:{bulletin.pk}:H3", code, text, bulletin.created_at))
        else:
            found.append(
                _statement(f"handling:{code}", code, HANDLING_STATEMENTS[code], TLP2_CREATED)
            )
    if conditions:
        text = f"Released by the originator on these conditions: {conditions}"
        key = f"bulletin:{bulletin.pk}:conditions:{conditions}"
        found.append(_statement(key, "release conditions", text, bulletin.created_at))
    return found


def bulletin_bundle(bulletin: Bulletin, conditions: str = "") -> stix2.v21.Bundle:
    marking = tlp2_marking(bulletin.tlp)
    statements = handling_markings(bulletin, conditions)
    refs = [marking.id, *(s.id for s in statements)]
    identity = stix2.v21.Identity(
        id=_id("identity", f"org:{bulletin.originator.code}"),
        name=bulletin.originator.names.get("en") or bulletin.originator.code,
        identity_class="organization",
        object_marking_refs=refs,
    )
    objects: list[Any] = [marking, *statements, identity]
    for ind in bulletin.indicators.filter(shareable=True).order_by("pk"):
        objects.append(
            stix2.v21.Indicator(
                id=_id("indicator", f"bulletin:{bulletin.pk}:{ind.pk}"),
                created=bulletin.created_at,
                modified=bulletin.created_at,
                created_by_ref=identity.id,
                name=f"{ind.get_kind_display()}: {ind.value}"[:250],
                description=ind.description or None,
                indicator_types=["malicious-activity"],
                pattern=stix_pattern(ind.kind, ind.value),
                pattern_type="stix",
                valid_from=bulletin.created_at,
                labels=[bulletin.category],
                object_marking_refs=refs,
            )
        )
    return stix2.v21.Bundle(objects=objects)
