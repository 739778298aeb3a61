"""End to end: the real ``threatexchange`` command line fetches a ctnet bank (issue 19).

A live ctnet server; a platform member's token; the threatexchange CLI in a subprocess with its
own HOME and state directory, with ctnet's extension added and a collaboration configured.
``threatexchange fetch`` must leave in its local store exactly the signals the member's feed
shares (not the bank nobody shared with it); after a removal and a new contribution a second
fetch resumes from its checkpoint: the server is asked only for what changed, the removed hash
is gone (tombstone) and the new one is there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ctnet.core import services as core_services
from ctnet.core.markings import TLP
from ctnet.core.models import AuditEvent, OrgKind, Role
from ctnet.hashes import indexing, services
from ctnet.hashes.models import ContentCategory, HashIndexState
from ctnet.hashes.tests.helpers import pdq_of
from ctnet.testing.base import make_org, make_person

REPO = Path(__file__).resolve().parents[3]
EXTENSION = "ctnet.hashes.threatexchange_ext"


def _tx(home: Path, token: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed threatexchange CLI (its own entry point) in an isolated home."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TX_STATEDIR": str(home / "state"),
        "PYTHONPATH": str(REPO),  # where the extension is imported from, as pip would install it
        "CTNET_API_TOKEN": token,
    }
    code = "from threatexchange.cli.main import main; main()"
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if ok:
        assert result.returncode == 0, f"threatexchange {args} failed:\n{result.stderr[-3000:]}"
    return result


def _stored(home: Path, token: str) -> set[tuple[str, str]]:
    """What the CLI's local store holds, as ``threatexchange dataset`` prints it."""
    out = _tx(home, token, "dataset", "--print-signals", "--print-signals-only").stdout
    return {tuple(line.split()) for line in out.splitlines() if line.strip()}  # type: ignore[misc]


def _feed_reads(user) -> list[list[int]]:
    return [
        e.detail["ids"]
        for e in AuditEvent.objects.filter(actor=user, action="read").order_by("pk")
        if e.detail.get("why") == "feed"
    ]


def _contribute(user, bank, value: str, signal_type: str = "pdq"):
    return services.contribute_signal(
        acting_user=user,
        bank=bank,
        signal_type=signal_type,
        value=value,
        category=ContentCategory.PROPAGANDA,
        entity="QDe.115",
        legal_basis="UNSCR 2396",
    )


def test_threatexchange_fetch_pulls_a_ctnet_bank(live_server, transactional_db, tmp_path) -> None:
    state = make_org("FRA")
    other = make_org("KEN")
    tech = make_org("TECH-X", OrgKind.TECH_COMPANY)
    alice = make_person("alice", state, Role.NATIONAL_COORDINATOR)
    charlie = make_person("charlie", other, Role.NATIONAL_COORDINATOR)
    pat = make_person("pat", tech, Role.PLATFORM_MEMBER)
    bank = services.create_bank(
        acting_user=alice,
        name="Known content",
        tlp=TLP.AMBER,
        recipients=[tech],
        requires_confirmation=False,
    )
    unshared = services.create_bank(
        acting_user=charlie, name="KEN only", tlp=TLP.AMBER, requires_confirmation=False
    )
    kept = _contribute(alice, bank, pdq_of(31))
    removed = _contribute(alice, bank, pdq_of(32))
    digest = _contribute(alice, bank, "9e107d9d372bb6826bd81d3542a419d6", "md5")
    _contribute(charlie, unshared, pdq_of(33))
    indexing.reset_index_cache()
    token = core_services.create_api_token(
        acting_user=pat, name="threatexchange", read_only=True, expires_days=30
    ).plaintext

    home = tmp_path / "home"
    home.mkdir()
    _tx(home, token, "config", "extensions", "add", EXTENSION)
    _tx(home, token, "config", "collab", "edit", "ctnet", "FRA", "--create",
        "--base-url", live_server.url)  # fmt: skip
    _tx(home, token, "fetch")
    assert _stored(home, token) == {
        ("pdq", kept.value),
        ("pdq", removed.value),
        ("video_md5", digest.value),
    }
    assert _feed_reads(pat) == [[kept.pk, removed.pk, digest.pk]]

    services.remove_signal(acting_user=alice, signal=removed, reason="Wrong bank")
    added = _contribute(alice, bank, pdq_of(34))
    _tx(home, token, "fetch")
    assert _stored(home, token) == {
        ("pdq", kept.value),
        ("video_md5", digest.value),
        ("pdq", added.value),
    }
    # Resumed from the checkpoint: the second fetch was served the new entry only (the
    # tombstone carries no content, so it is no audited read), not the whole bank again.
    assert _feed_reads(pat) == [[kept.pk, removed.pk, digest.pk], [added.pk]]

    # A replaced database (a new epoch) is not resumed into: the fetch fails and says what to do.
    HashIndexState.objects.update(epoch="0" * 32)
    refused = _tx(home, token, "-v", "fetch", ok=False)
    assert refused.returncode != 0
    assert "fetch --clear" in refused.stderr
    _tx(home, token, "fetch", "--clear")
    _tx(home, token, "fetch")
    assert _stored(home, token) == {
        ("pdq", kept.value),
        ("video_md5", digest.value),
        ("pdq", added.value),
    }


@pytest.mark.parametrize("token", ["", "ctn_wrong"])
def test_fetch_without_a_valid_token_fails_and_stores_nothing(
    live_server, transactional_db, tmp_path, token: str
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    _tx(home, token, "config", "extensions", "add", EXTENSION)
    _tx(home, token, "config", "collab", "edit", "ctnet", "FRA", "--create",
        "--base-url", live_server.url)  # fmt: skip
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TX_STATEDIR": str(home / "state"),
        "PYTHONPATH": str(REPO),
        "CTNET_API_TOKEN": token,
    }
    result = subprocess.run(
        [sys.executable, "-c", "from threatexchange.cli.main import main; main()", "fetch"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert not list((home / "state" / "fetched").glob("**/*.pickle"))


def test_a_hash_in_two_banks_stays_until_both_withdraw_it() -> None:
    """The state is keyed by signal id: one bank's tombstone leaves the other bank's entry."""
    from threatexchange.exchanges.fetch_state import SignalOpinionCategory
    from threatexchange.signal_type.md5 import VideoMD5Signal
    from threatexchange.signal_type.pdq.signal import PdqSignal

    from ctnet.hashes.threatexchange_ext.exchange import (
        CtnetCollabConfig,
        CtnetSignalExchangeAPI,
    )

    collab = CtnetCollabConfig(name="FRA", base_url="http://ctnet.invalid", banks={1})
    api = CtnetSignalExchangeAPI(collab, "token")
    value = "f" * 16 + "0" * 48

    def entry(pk: int, bank_id: int, **extra: object) -> dict[str, object]:
        return {
            "id": pk,
            "deleted": False,
            "signal_type": "pdq",
            "value": value,
            "bank_id": bank_id,
            "bank": f"bank {bank_id}",
            "labels": {"category": "PROPAGANDA", "entity": "QDe.115"},
            **extra,
        }

    # The collaboration names bank 1: bank 2's entries stay out, tombstones always pass.
    assert api._wanted(entry(1, 1)) and not api._wanted(entry(2, 2))
    assert api._wanted({"id": 9, "deleted": True, "status": "REMOVED"})
    state: dict[int, object] = {}
    fetched = {1: api._record(entry(1, 1)), 3: api._record(entry(3, 1, disputed=True))}
    CtnetSignalExchangeAPI.naive_fetch_merge(state, fetched)
    by_type = CtnetSignalExchangeAPI.naive_convert_to_signal_type(
        [PdqSignal, VideoMD5Signal],
        collab,
        state,
    )
    metadata = by_type[PdqSignal][value]
    assert [s.bank_id for s in metadata.signals] == [1, 1]
    categories = sorted(o.category for o in metadata.get_as_opinions())
    assert categories == [
        SignalOpinionCategory.INVESTIGATION_SEED,
        SignalOpinionCategory.POSITIVE_CLASS,
    ]
    assert {"PROPAGANDA", "QDe.115", "bank:1"} <= metadata.get_as_opinions()[0].tags
    CtnetSignalExchangeAPI.naive_fetch_merge(state, {1: None})
    left = CtnetSignalExchangeAPI.naive_convert_to_signal_type([PdqSignal], collab, state)
    assert len(left[PdqSignal][value].signals) == 1
    CtnetSignalExchangeAPI.naive_fetch_merge(state, {3: None})
    assert CtnetSignalExchangeAPI.naive_convert_to_signal_type([PdqSignal], collab, state) == {}
