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

import datetime as dt
import gzip
import random
from pathlib import Path

from django.conf import settings

from ctnet.core.markings import TLP
from ctnet.core.models import Organisation, User
from ctnet.screening.convert import dob_from_json, dob_label
from ctnet.screening.engine.model import DobKind, Traveller
from ctnet.screening.engine.paxlst import Flight, paxlst_encoding, write_paxlst
from ctnet.screening.engine.synthetic import NameGenerator
from ctnet.screening.models import (
    Entry,
    EntryLegalStatus,
    ListSource,
    Purpose,
    Watchlist,
)
from ctnet.screening.services import watchlists
from ctnet.screening.services.runs import screen_travellers
from ctnet.screening.uploads import read_passenger_list

DATA = Path(__file__).resolve().parent / "data"
UN_EDITIONS = (
    "un-sc-consolidated-list-2017-07-03.xml.gz",
    "un-sc-consolidated-list-2018-10-29.xml.gz",
)
UN_LIST = "UN Security Council Consolidated List"
NATIONAL_LIST = "FRA — returning foreign terrorist fighters (demo)"
SEED = 2396  # the resolution's number: any fixed seed would do
FLIGHT_FILE = "AF1143-demo.edi"


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
    for k, person in enumerate(listed):
        travellers.insert(
            20 + 37 * k,
            Traveller(
                traveller_id=f"PAX-L{k + 1}",
                name=person.primary_name,
                dob=dob_from_json(person.dobs[0]),
                nationality=person.nationalities[0] if person.nationalities else None,
            ),
        )
    return travellers


def demo_flight(un_list: Watchlist) -> bytes:
    """The demo flight as airlines send it (a PAXLST message, read like any upload): 140
    unlisted travellers and three individuals of the UN list with an exact date of birth."""
    listed = [
        e
        for e in Entry.objects.filter(
            watchlist=un_list, entity_type="individual", ref__startswith="QDi"
        ).order_by("ref")
        if e.dobs and e.dobs[0]["kind"] == "exact" and e.status == "ACTIVE"
    ][5:8]
    return demo_paxlst(_passengers(listed))


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
    un_list = watchlists.create_watchlist(
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
        watchlists.import_watchlist(
            acting_user=users["secretariat"],
            watchlist=un_list,
            data=un_edition(name),
            file_name=name.removesuffix(".gz"),
        )
    national = watchlists.create_watchlist(
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
    watchlists.import_watchlist(
        acting_user=users["coord.fra"],
        watchlist=national,
        data=_national_csv(SEED + 7, 300),
        file_name="fra-ftf-demo.csv",
    )
    message = demo_flight(un_list)
    passengers = read_passenger_list(message, FLIGHT_FILE)
    screen_travellers(
        acting_user=users["officer.fra"],
        travellers=passengers.travellers,
        channel=passengers.channel,
        purpose=Purpose.BORDER,
        source_name=FLIGHT_FILE,
        flight=passengers.flight,
        bad=passengers.bad,
    )
    # The same flight as files in the data directory, for people trying the upload page.
    folder = Path(settings.DATA_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / FLIGHT_FILE).write_bytes(message)
    rows = ["id,name,dob,nationality,document"] + [
        f"{t.traveller_id},{t.name},{dob_label(t.dob).lstrip('~')},{t.nationality or ''},"
        f"{t.document or ''}"
        for t in passengers.travellers
    ]
    (folder / "AF1143-demo.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def demo_paxlst(travellers: list[Traveller]) -> bytes:
    flight = Flight(
        number="AF1143",
        carrier="AF",
        departure_airport="IST",
        departure_time=dt.datetime(2026, 11, 30, 7, 40),  # noqa: DTZ001 — PAXLST local times
        arrival_airport="CDG",
        arrival_time=dt.datetime(2026, 11, 30, 10, 15),  # noqa: DTZ001
    )
    text = write_paxlst(
        travellers,
        flight,
        sender="AIRFRANCE",
        recipient="FRAPIU",
        reference="DEMO1143",
        prepared_at=dt.datetime(2026, 11, 30, 6, 0),  # noqa: DTZ001
        syntax_identifier="UNOY",
    )
    return text.encode(paxlst_encoding("UNOY"))
