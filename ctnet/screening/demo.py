"""Demo screening data for ``ctnet demo``.

- The real UN Security Council Consolidated List, imported as two editions (2017-07-03, then
  2018-10-29; both shipped gzipped in ``data/``), so the import history shows a real change
  report with de-listings.
- A national list of France (AMBER, shared with Kenya and INTERPOL, entries hidden from
  screeners), made of seeded synthetic people.
- One screened flight: a passenger list of seeded synthetic travellers with three people of the
  UN list among them, so the review queue has possible matches waiting.

Idempotent: skipped when the UN list exists.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from ctnet.core.markings import TLP
from ctnet.core.models import Organisation, User
from ctnet.screening import services
from ctnet.screening.convert import dob_from_json, dob_label
from ctnet.screening.engine.model import DobKind, Traveller
from ctnet.screening.engine.synthetic import NameGenerator
from ctnet.screening.models import (
    Channel,
    Entry,
    EntryLegalStatus,
    ListSource,
    Purpose,
    Watchlist,
)
from ctnet.screening.screen import screen_travellers

DATA = Path(__file__).resolve().parent / "data"
UN_EDITIONS = (
    "un-sc-consolidated-list-2017-07-03.xml.gz",
    "un-sc-consolidated-list-2018-10-29.xml.gz",
)
UN_LIST = "UN Security Council Consolidated List"
NATIONAL_LIST = "FRA — returning foreign terrorist fighters (demo)"
SEED = 2396  # the resolution's number: any fixed seed would do


def un_edition(name: str) -> bytes:
    return gzip.decompress((DATA / name).read_bytes())


def _national_csv(rng_seed: int, size: int) -> bytes:
    gen = NameGenerator(rng_seed)
    lines = ["id,name,aliases,dob,nationality"]
    for i in range(size):
        entry, _person = gen.entry(i)
        aliases = "|".join(n.text for n in entry.names[1:2] if '"' not in n.text)
        dob = entry.dobs[0] if entry.dobs else None
        dob_text = "" if dob is None or dob.kind is DobKind.RANGE else dob_label(dob).lstrip("~")
        nat = entry.nationalities[0] if entry.nationalities else ""
        lines.append(f"FRA-{i + 1:04d},{entry.primary_name},{aliases},{dob_text},{nat}")
    return ("\n".join(lines) + "\n").encode()


def _passengers(listed: list[Entry]) -> list[Traveller]:
    """140 generated travellers (another seed than the national list) plus the listed ones."""
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data, not a secret
    gen = NameGenerator(SEED + 1)
    travellers = []
    for i in range(140):
        entry, _person = gen.entry(i)
        dob = entry.dobs[0] if entry.dobs and entry.dobs[0].kind is DobKind.EXACT else None
        travellers.append(
            Traveller(
                traveller_id=f"PAX{i + 1:03d}",
                name=entry.primary_name,
                dob=dob,
                nationality=entry.nationalities[0] if entry.nationalities else None,
                document=f"{rng.choice('CDEFGHJK')}{rng.randint(1000000, 9999999)}",
            )
        )
    for k, entry in enumerate(listed):
        travellers.insert(
            20 + 37 * k,
            Traveller(
                traveller_id=f"PAX-L{k + 1}",
                name=entry.primary_name,
                dob=dob_from_json(entry.dobs[0]),
                nationality=entry.nationalities[0] if entry.nationalities else None,
            ),
        )
    return travellers


def load_screening_demo() -> None:
    if Watchlist.objects.filter(name=UN_LIST).exists():
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["secretariat", "coord.fra", "officer.fra"])
    }
    if len(users) < 3:
        return  # the core demo people are missing
    recipients = list(Organisation.objects.filter(code__in=["KEN", "INTERPOL"]))
    un_list = services.create_watchlist(
        acting_user=users["secretariat"],
        name=UN_LIST,
        source=ListSource.UN_SC,
        legal_basis=(
            "Security Council resolutions 1267 (1999), 1989 (2011), 2253 (2015) and 2396 (2017)"
        ),
        purpose="Travel ban and asset freeze: screening of travellers at borders",
        description="Individuals and entities subject to Security Council sanctions measures.",
        tlp=TLP.CLEAR,
        default_legal_status=EntryLegalStatus.SANCTIONED,
        entries_visible=True,
    )
    for name in UN_EDITIONS:
        services.import_watchlist(
            acting_user=users["secretariat"],
            watchlist=un_list,
            data=un_edition(name),
            file_name=name.removesuffix(".gz"),
        )
    national = services.create_watchlist(
        acting_user=users["coord.fra"],
        name=NATIONAL_LIST,
        source=ListSource.NATIONAL,
        legal_basis="Code de la sécurité intérieure (demo reference)",
        purpose="Detect the return of listed foreign terrorist fighters",
        tlp=TLP.AMBER,
        recipients=recipients,
        entries_visible=False,
        default_legal_status=EntryLegalStatus.SUSPECT,
        hit_retention_days=365,
    )
    services.import_watchlist(
        acting_user=users["coord.fra"],
        watchlist=national,
        data=_national_csv(SEED + 7, 300),
        file_name="fra-ftf-demo.csv",
    )
    # Three individuals of the UN list with an exact date of birth travel on the demo flight.
    listed = [
        e
        for e in Entry.objects.filter(
            watchlist=un_list, entity_type="individual", ref__startswith="QDi"
        ).order_by("ref")
        if e.dobs and e.dobs[0]["kind"] == "exact" and e.status == "ACTIVE"
    ][5:8]
    screen_travellers(
        acting_user=users["officer.fra"],
        travellers=_passengers(listed),
        channel=Channel.PAXLST,
        purpose=Purpose.BORDER,
        source_name="AF1143-demo.edi",
        flight={
            "carrier": "AF",
            "flight_number": "AF1143",
            "departure_airport": "IST",
            "arrival_airport": "CDG",
        },
    )
