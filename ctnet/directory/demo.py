"""Demo directory for ``ctnet demo``: coordinators of 36 member states in all five UN groups.

Fictional people and ``example.gov`` addresses. Some entries are stale, some have deputies, a few
states list several offices. Idempotent: entries are keyed by organisation and office name.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

import pycountry
from django.db import transaction
from django.utils import timezone

from ctnet.core import audit
from ctnet.core.models import Organisation, OrgKind, UNGroup
from ctnet.directory.models import ContactChange, ContactPoint, Function
from ctnet.directory.taxonomy import TOPIC_SLUGS, pack

# ISO3, UN group, IANA time zone, languages accepted.
STATES = [
    ("KEN", UNGroup.AFRICAN, "Africa/Nairobi", ["en", "sw"]),
    ("NGA", UNGroup.AFRICAN, "Africa/Lagos", ["en"]),
    ("EGY", UNGroup.AFRICAN, "Africa/Cairo", ["ar", "en"]),
    ("MAR", UNGroup.AFRICAN, "Africa/Casablanca", ["ar", "fr"]),
    ("SEN", UNGroup.AFRICAN, "Africa/Dakar", ["fr"]),
    ("ZAF", UNGroup.AFRICAN, "Africa/Johannesburg", ["en"]),
    ("ETH", UNGroup.AFRICAN, "Africa/Addis_Ababa", ["en", "am"]),
    ("MLI", UNGroup.AFRICAN, "Africa/Bamako", ["fr"]),
    ("JOR", UNGroup.ASIA_PACIFIC, "Asia/Amman", ["ar", "en"]),
    ("CHN", UNGroup.ASIA_PACIFIC, "Asia/Shanghai", ["zh", "en"]),
    ("IND", UNGroup.ASIA_PACIFIC, "Asia/Kolkata", ["en", "hi"]),
    ("IDN", UNGroup.ASIA_PACIFIC, "Asia/Jakarta", ["id", "en"]),
    ("PAK", UNGroup.ASIA_PACIFIC, "Asia/Karachi", ["ur", "en"]),
    ("JPN", UNGroup.ASIA_PACIFIC, "Asia/Tokyo", ["ja", "en"]),
    ("PHL", UNGroup.ASIA_PACIFIC, "Asia/Manila", ["en"]),
    ("RUS", UNGroup.EASTERN_EUROPEAN, "Europe/Moscow", ["ru", "en"]),
    ("POL", UNGroup.EASTERN_EUROPEAN, "Europe/Warsaw", ["pl", "en"]),
    ("UKR", UNGroup.EASTERN_EUROPEAN, "Europe/Kyiv", ["uk", "en"]),
    ("ROU", UNGroup.EASTERN_EUROPEAN, "Europe/Bucharest", ["ro", "en", "fr"]),
    ("SRB", UNGroup.EASTERN_EUROPEAN, "Europe/Belgrade", ["sr", "en"]),
    ("GEO", UNGroup.EASTERN_EUROPEAN, "Asia/Tbilisi", ["ka", "en", "ru"]),
    ("COL", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Bogota", ["es"]),
    ("BRA", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Sao_Paulo", ["pt", "es", "en"]),
    ("MEX", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Mexico_City", ["es", "en"]),
    ("ARG", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Argentina/Buenos_Aires", ["es"]),
    ("PER", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Lima", ["es"]),
    ("CHL", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Santiago", ["es", "en"]),
    ("JAM", UNGroup.LATIN_AMERICAN_CARIBBEAN, "America/Jamaica", ["en"]),
    ("FRA", UNGroup.WESTERN_EUROPEAN_OTHERS, "Europe/Paris", ["fr", "en"]),
    ("DEU", UNGroup.WESTERN_EUROPEAN_OTHERS, "Europe/Berlin", ["de", "en"]),
    ("GBR", UNGroup.WESTERN_EUROPEAN_OTHERS, "Europe/London", ["en"]),
    ("ESP", UNGroup.WESTERN_EUROPEAN_OTHERS, "Europe/Madrid", ["es", "en"]),
    ("ITA", UNGroup.WESTERN_EUROPEAN_OTHERS, "Europe/Rome", ["it", "en"]),
    ("NOR", UNGroup.WESTERN_EUROPEAN_OTHERS, "Europe/Oslo", ["no", "en"]),
    ("CAN", UNGroup.WESTERN_EUROPEAN_OTHERS, "America/Toronto", ["en", "fr"]),
    ("AUS", UNGroup.WESTERN_EUROPEAN_OTHERS, "Australia/Sydney", ["en"]),
]

# States that list their offices behind the coordinator: office name, topics, 24/7.
OFFICES = {
    "FRA": [
        ("Border police operations room", ["border-security", "foreign-terrorist-fighters"], True),
        ("Financial intelligence unit", ["terrorist-financing"], False),
        ("Online content referral unit", ["online-content", "cyber"], False),
    ],
    "KEN": [
        ("Anti-terrorism police unit", ["criminal-justice", "foreign-terrorist-fighters"], True),
        ("Centre for countering violent extremism", ["prevention-violent-extremism"], False),
    ],
    "JOR": [
        ("Airport security directorate", ["aviation-security", "border-security"], True),
        ("Prison reform office", ["prisons", "prevention-violent-extremism"], False),
    ],
    "COL": [
        ("Victims assistance unit", ["victims"], False),
        ("CBRN response centre", ["cbrn"], True),
    ],
    "RUS": [("Cyber incident centre", ["cyber", "online-content"], True)],
    "CHN": [("Aviation security bureau", ["aviation-security"], True)],
}

FIRST = [
    "Amara",
    "Lucas",
    "Noor",
    "Mateo",
    "Ivana",
    "Kenji",
    "Aisha",
    "Tomas",
    "Leila",
    "Pavel",
    "Sofia",
    "Ravi",
    "Elena",
    "Kwame",
    "Mariana",
    "Yusuf",
    "Ingrid",
    "Chen",
    "Olga",
    "Diego",
]
LAST = [
    "Okoye",
    "Moreau",
    "Haddad",
    "Rojas",
    "Novak",
    "Tanaka",
    "Bello",
    "Silva",
    "Karimi",
    "Petrov",
    "Lindgren",
    "Mehta",
    "Costa",
    "Mensah",
    "Duarte",
    "Aziz",
    "Berg",
    "Liu",
]


def _state(code: str, group: str) -> Organisation:
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        # Normally loaded from the reference list; created here so the demo stands on its own.
        country = pycountry.countries.get(alpha_3=code)
        org = Organisation.objects.create(
            code=code,
            kind=OrgKind.MEMBER_STATE,
            names={"en": country.name if country else code},
            un_group=group,
        )
    return org


def _entry(org: Organisation, office: str, values: dict) -> tuple[ContactPoint, bool]:
    contact, created = ContactPoint.objects.get_or_create(
        organisation=org, office=office, defaults=values
    )
    if created:
        ContactChange.objects.create(
            contact=contact,
            actor_label="demo",
            action="create",
            version=1,
            changes={"office": [None, office]},
        )
    return contact, created


def _person(rng: random.Random) -> dict[str, str]:
    return {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "title": ""}


@transaction.atomic
def load_directory_demo() -> int:
    """Create the demo entries that are missing; returns how many were created."""
    rng = random.Random(2018)  # noqa: S311 — reproducible fictional data, not security
    now = timezone.now()
    created = 0
    for index, (code, group, tz, languages) in enumerate(STATES):
        org = _state(code, group)
        domain = f"ctu.{code.lower()}.example.gov"
        # Every fifth state has let its entry go stale; every third has no verified coordinator.
        age = rng.randint(200, 420) if index % 5 == 4 else rng.randint(1, 120)
        common = {
            "time_zone": tz,
            "languages": pack(languages),
            "last_confirmed_at": now - timedelta(days=age),
            "urgent_procedure": "Call the duty phone, then confirm by email quoting the case.",
        }
        deputy, made = (
            _entry(
                org,
                "Deputy national coordinator",
                {
                    **common,
                    "holders": [{**_person(rng), "title": "Deputy coordinator"}],
                    "email": f"deputy@{domain}",
                    "phone": f"+{100 + index} 555 0101",
                    "topics": pack(TOPIC_SLUGS),
                    "verified": index % 3 != 2,
                    "hours_start": time(8),
                    "hours_end": time(18),
                    "always_on": index % 2 == 0,
                },
            )
            if index % 2 == 0
            else (None, False)
        )
        created += made
        _c, made = _entry(
            org,
            "National counter-terrorism coordinator",
            {
                **common,
                "function": Function.NATIONAL_COORDINATOR,
                "holders": [{**_person(rng), "title": "National coordinator"}],
                "email": f"coordinator@{domain}",
                "phone": f"+{100 + index} 555 0100",
                "pgp_fingerprint": f"{rng.getrandbits(160):040X}",
                "topics": pack(rng.sample(TOPIC_SLUGS, 3)),
                "verified": index % 3 != 2,
                "hours_start": time(9),
                "hours_end": time(17),
                "deputy": deputy,
                "mandate": "Coordinates the national counter-terrorism effort and the network.",
            },
        )
        created += made
        for office, topics, always_on in OFFICES.get(code, []):
            _o, made = _entry(
                org,
                office,
                {
                    **common,
                    "holders": [_person(rng), _person(rng)],
                    "topics": pack(topics),
                    "email": f"{office.split()[0].lower()}@{domain}",
                    "always_on": always_on,
                    "hours_start": time(9),
                    "hours_end": time(17),
                    "verified": True,
                    "other_channel": "Secure video line on request",
                },
            )
            created += made
    if created:
        audit.record("directory.demo.load", detail={"created": created})
    return created
