"""The network's expertise topics: one vocabulary for the directory, practices and exchanges.

Slugs are stable identifiers stored in rows and used in URLs and the API, so that a practice on
"terrorist-financing" and a contact expert in it use the same word; the labels are translated.
Adding a topic is adding a line here; renaming a slug would break saved links.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TOPICS: dict[str, Promise] = {
    "border-security": _("Border security"),
    "aviation-security": _("Aviation security"),
    "foreign-terrorist-fighters": _("Foreign terrorist fighters"),
    "terrorist-financing": _("Terrorist financing"),
    "prevention-violent-extremism": _("Prevention of violent extremism"),
    "online-content": _("Online terrorist content"),
    "cbrn": _("Chemical, biological, radiological and nuclear (CBRN)"),
    "victims": _("Victims of terrorism"),
    "criminal-justice": _("Criminal justice"),
    "prisons": _("Prisons"),
    "cyber": _("Cyber"),
}
