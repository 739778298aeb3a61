from __future__ import annotations

from pathlib import Path

import pytest

from ctnet.screening.engine.model import WatchlistEntry
from ctnet.screening.engine.unlist import load_un_list

DATA = Path("/work/shared/data")
UN_2017 = DATA / "un-sc-consolidated-list-2017-07-03.xml"
UN_2018 = DATA / "un-sc-consolidated-list-2018-10-29.xml"


@pytest.fixture(scope="session")
def un_2017() -> list[WatchlistEntry]:
    return load_un_list(UN_2017)


@pytest.fixture(scope="session")
def un_2018() -> list[WatchlistEntry]:
    return load_un_list(UN_2018)
