"""Offline formats: vCard 4.0 (RFC 6350) for one contact, CSV for a list.

Both flag stale entries in the data itself, so a printed or imported copy still says it may be
out of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from ctnet.directory.models import ContactPoint
from ctnet.lib import csvsafe

CSV_HEADER = [
    "organisation_code",
    "organisation",
    "function",
    "office",
    "holders",
    "topics",
    "languages",
    "time_zone",
    "always_on",
    "office_hours",
    "phone",
    "email",
    "pgp_fingerprint",
    "other_channel",
    "urgent_procedure",
    "deputy",
    "verified",
    "last_confirmed_at",
    "stale",
]


def _escape(value: str) -> str:
    """RFC 6350 section 3.4: backslash, comma, semicolon and newlines are escaped in text."""
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (section 3.2)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def vcard(contact: ContactPoint) -> str:
    org = contact.organisation
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:group" if len(contact.holders) != 1 else "KIND:individual",
        f"FN:{_escape(contact.display_name)}",
        f"ORG:{_escape(org.name)};{_escape(contact.office)}",
    ]
    for holder in contact.holders:
        if holder.get("title"):
            lines.append(f"TITLE:{_escape(holder['title'])}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=work:{contact.email}")
    if contact.phone:
        tel = "".join(ch for ch in contact.phone if ch.isdigit() or ch == "+")
        lines.append(f"TEL;VALUE=uri;TYPE=work,voice:tel:{tel}")
    for pref, lang in enumerate(contact.language_list, start=1):
        lines.append(f"LANG;PREF={pref}:{lang}")
    lines.append(f"TZ;VALUE=text:{_escape(contact.time_zone)}")
    if contact.pgp_fingerprint:
        # The openpgp4fpr URI names the key without embedding it; clients fetch it themselves.
        lines.append(f"KEY:openpgp4fpr:{contact.pgp_fingerprint.lower()}")
    notes = [f"Topics: {', '.join(contact.topic_list)}", f"Hours: {contact.office_hours or '-'}"]
    if contact.other_channel:
        notes.append(f"Other channel: {contact.other_channel}")
    if contact.urgent_procedure:
        notes.append(f"Urgent requests: {contact.urgent_procedure}")
    notes.append(
        f"Last confirmed: {contact.last_confirmed_at:%Y-%m-%d}"
        + (" (STALE: due for re-confirmation)" if contact.is_stale else "")
    )
    lines.append(f"NOTE:{_escape(chr(10).join(notes))}")
    lines.append(f"REV:{contact.updated_at.astimezone(UTC):%Y%m%dT%H%M%SZ}")
    lines.append(f"UID:urn:ctnet:directory:{contact.pk}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def csv_text(contacts: Iterable[ContactPoint]) -> str:
    """The filtered list as CSV; every cell a spreadsheet could run is escaped (lib.csvsafe)."""
    return csvsafe.csv_text(CSV_HEADER, (_csv_row(c) for c in contacts))


def _csv_row(c: ContactPoint) -> list[str]:
    return [
        c.organisation.code,
        c.organisation.name,
        c.function,
        c.office,
        "; ".join(h["name"] for h in c.holders),
        " ".join(c.topic_list),
        " ".join(c.language_list),
        c.time_zone,
        "yes" if c.always_on else "no",
        c.office_hours,
        c.phone,
        c.email,
        c.pgp_fingerprint,
        c.other_channel,
        c.urgent_procedure,
        c.deputy.office if c.deputy_id and c.deputy else "",
        "yes" if c.verified else "no",
        f"{c.last_confirmed_at:%Y-%m-%d}",
        "STALE" if c.is_stale else "",
    ]
