"""Shared set-up of the screening tests: a UN list, a national list, passenger CSVs."""

from __future__ import annotations

from typing import Any

from ctnet.core.markings import TLP
from ctnet.screening import matching
from ctnet.screening.demo import UN_EDITIONS, un_edition
from ctnet.screening.models import EntryLegalStatus, ListSource, Watchlist
from ctnet.screening.services import watchlists
from ctnet.testing.base import CtnetTestCase

NATIONAL_CSV = (
    "id,name,aliases,dob,nationality\n"
    "FRA-1,Abdul Rahman Yasin,Abd al-Rahman Yasin|Abood,1960-04-10,IRQ\n"
    "FRA-2,Karim Benali,,1988,FRA\n"
    "FRA-3,Oleg Kuznetsov,Олег Кузнецов,1979-11-02,RUS\n"
)
PASSENGERS_HEADER = "id,name,dob,nationality,document\n"
LISTED = "P1,Abdul Rahman Yasin,1960-04-10,IRQ,\n"
UNLISTED_NAME = "Margarethe Vandersloot"
UNLISTED = f"P2,{UNLISTED_NAME},1991-03-14,NLD,NX0012345\n"


def passengers(*rows: str) -> bytes:
    return (PASSENGERS_HEADER + "".join(rows)).encode()


class ScreeningTestCase(CtnetTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Checkpoints repeat across rolled-back tests; a held index must not outlive its test.
        matching.reset_index_cache()

    def upload(self, path: str, user: object, **fields: object) -> Any:
        """A multipart API call (files and form fields) with a bearer token."""
        return self.client.post(
            f"/api/v1{path}",
            data=fields,
            headers={"Authorization": f"Bearer {self.token_for(user)}"},
        )

    def national_list(self, *, entries_visible: bool = True, recipients: tuple = ()) -> Watchlist:
        watchlist = watchlists.create_watchlist(
            acting_user=self.alice,
            name="FRA returning fighters",
            source=ListSource.NATIONAL,
            legal_basis="Internal security code, art. L. 228-1",
            purpose="Detect returning foreign terrorist fighters",
            tlp=TLP.AMBER,
            recipients=list(recipients),
            entries_visible=entries_visible,
        )
        watchlists.import_watchlist(
            acting_user=self.alice,
            watchlist=watchlist,
            data=NATIONAL_CSV.encode(),
            file_name="fra.csv",
        )
        return watchlist

    def un_list(self, editions: tuple[str, ...] = UN_EDITIONS[1:]) -> Watchlist:
        watchlist = watchlists.create_watchlist(
            acting_user=self.sam,
            name="UN Security Council Consolidated List",
            source=ListSource.UN_SC,
            legal_basis="Security Council resolution 2253 (2015)",
            purpose="Travel ban",
            tlp=TLP.CLEAR,
            default_legal_status=EntryLegalStatus.SANCTIONED,
        )
        for name in editions:
            watchlists.import_watchlist(
                acting_user=self.sam, watchlist=watchlist, data=un_edition(name), file_name=name
            )
        return watchlist
