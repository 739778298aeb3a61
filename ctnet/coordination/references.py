"""The reference list that commitments implement: the four pillars of the UN Global
Counter-Terrorism Strategy (A/RES/60/288) and three Security Council resolutions with the
operative paragraphs the network works on most.

Codes are stable identifiers stored in rows and URLs; labels are translated. The paragraph
labels are short summaries for finding one's way, not the resolutions' text. Anything else a
commitment implements (a CTED assessment recommendation, a regional strategy) is a free
reference: text on the commitment, not a code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reference:
    code: str
    title: Promise
    paragraphs: dict[str, Promise] = field(default_factory=dict)


PILLARS: dict[str, Promise] = {
    "I": _("Pillar I: addressing the conditions conducive to the spread of terrorism"),
    "II": _("Pillar II: preventing and combating terrorism"),
    "III": _("Pillar III: building States' capacity and strengthening the role of the UN"),
    "IV": _("Pillar IV: human rights and the rule of law"),
}

REFERENCES: dict[str, Reference] = {
    ref.code: ref
    for ref in (
        *(Reference(f"GCTS-{number}", title) for number, title in PILLARS.items()),
        Reference(
            "UNSCR-2178",
            _("Security Council resolution 2178 (2014): foreign terrorist fighters"),
            {
                "5": _(
                    "Prevent and suppress the recruiting, organising, transporting and "
                    "equipping of foreign terrorist fighters"
                ),
                "6": _("Serious criminal offences in domestic law"),
                "8": _("Prevent the entry into or transit through territory"),
                "9": _("Airlines provide advance passenger information"),
                "16": _("Engage communities to counter violent extremism"),
            },
        ),
        Reference(
            "UNSCR-2396",
            _(
                "Security Council resolution 2396 (2017): returning and relocating foreign "
                "terrorist fighters"
            ),
            {
                "11": _("Advance passenger information systems"),
                "12": _("Passenger name record data"),
                "13": _("Watch lists and databases of known and suspected terrorists"),
                "15": _("Biometric data to identify terrorists"),
                "29": _("Prosecution, rehabilitation and reintegration strategies"),
                "31": _("Women and children associated with foreign terrorist fighters"),
                "39": _("Participation and leadership of women in these strategies"),
            },
        ),
        Reference(
            "UNSCR-2395",
            _("Security Council resolution 2395 (2017): the mandate of CTED"),
            {
                "1": _("The mandate of the Counter-Terrorism Committee Executive Directorate"),
            },
        ),
    )
}


def reference_label(code: str, paragraph: str = "") -> str:
    ref = REFERENCES.get(code)
    if ref is None:
        return code
    if paragraph:
        return gettext("%(title)s, para. %(paragraph)s: %(label)s") % {
            "title": ref.title,
            "paragraph": paragraph,
            "label": ref.paragraphs.get(paragraph, ""),
        }
    return str(ref.title)
