"""The ctnet signal exchange: ``GET /api/v1/hashes/feed`` as python-threatexchange reads it.

The feed is a sequence of changes keyed by the signal's id: an entry carries the hash and its
labels, a tombstone only the id (so it never reveals what was withdrawn). The fetched state is
therefore keyed by ctnet's signal id, not by hash: a tombstone deletes exactly the entry it
names, and a hash held in two banks stays until both have withdrawn it. The checkpoint is the
feed's ``next`` cursor; a fetch resumes from it and pages until ``has_more`` is false.

The token is a platform member's ctnet API token (read-only is enough): from the environment
variable ``CTNET_API_TOKEN`` or the file ``~/.ctnet_api_token`` for the command line, or handed
in by an HMA deployment that stores credentials per exchange (``get_credential_cls``).
"""

# No ``from __future__ import annotations``: the threatexchange CLI reads the config
# dataclass's field types at run time to build its ``config collab edit`` options.

import logging
import typing as t
from dataclasses import dataclass, field

import requests
from threatexchange.exchanges import auth
from threatexchange.exchanges import fetch_state as state
from threatexchange.exchanges.collab_config import CollaborationConfigWithDefaults
from threatexchange.exchanges.signal_exchange_api import SignalExchangeAPI
from threatexchange.signal_type.signal_base import SignalType

from ctnet.hashes.threatexchange_ext.names import TO_THREATEXCHANGE

log = logging.getLogger(__name__)

#: Seconds before a feed call is given up: a page is at most the server's page size of rows.
REQUEST_TIMEOUT = 60
#: Asked per page; the server serves at most its own CTNET_HASHES_FEED_PAGE_SIZE.
PAGE_LIMIT = 1000


class CtnetFeedError(Exception):
    """The feed answered something other than a page (its status and message say what)."""


@dataclass
class _CtnetRequiredFields:
    # A base of its own so that the required field can follow the defaulted ones of the base
    # config in the dataclass (fields without defaults may not come after fields with them).
    base_url: str = field(
        metadata={"help": "ctnet's address, e.g. https://ctnet.example.org", "metavar": "URL"}
    )


@dataclass
class CtnetCollabConfig(CollaborationConfigWithDefaults, _CtnetRequiredFields):
    """One ctnet deployment; ``banks`` narrows the feed to some of its bank ids."""

    banks: set[int] = field(
        default_factory=set,
        metadata={"help": "only these bank ids (default: every bank in your feed)"},
    )


@dataclass
class CtnetCheckpoint(state.FetchCheckpointBase):
    """The feed cursor: every change up to ``since`` of the database ``epoch`` has been merged."""

    since: int = 0
    epoch: str = ""


@dataclass
class CtnetSignal:
    """One ctnet signal as fetched: the record stored under its id."""

    signal_type: str  # threatexchange's name (``names.TO_THREATEXCHANGE``)
    value: str
    bank_id: int
    bank: str
    category: str
    entity: str = ""
    tlp: str = ""
    handling: list[str] = field(default_factory=list)
    disputed: bool = False


@dataclass
class CtnetSignalMetadata(state.FetchedSignalMetadata):
    """What a match on a hash tells: every ctnet signal (bank and labels) that holds it."""

    signals: list[CtnetSignal] = field(default_factory=list)

    def get_as_opinions(self) -> t.Sequence[state.SignalOpinion]:
        # A disputed signal is still shared, but someone contests its labels: a lead, not a
        # verdict (ctnet's own rule: no automated decision on a disputed label).
        return [
            state.SignalOpinion(
                is_mine=False,
                category=(
                    state.SignalOpinionCategory.INVESTIGATION_SEED
                    if s.disputed
                    else state.SignalOpinionCategory.POSITIVE_CLASS
                ),
                tags={tag for tag in (s.category, s.entity, f"bank:{s.bank_id}") if tag},
            )
            for s in self.signals
        ]


@dataclass
class CtnetCredentials(auth.CredentialHelper):
    ENV_VARIABLE: t.ClassVar[str] = "CTNET_API_TOKEN"
    FILE_NAME: t.ClassVar[str] = "~/.ctnet_api_token"

    token: str = field(metadata={"help": "a ctnet API token of a platform member"})

    @classmethod
    def _from_str(cls, s: str) -> "CtnetCredentials":
        return cls(s.strip())

    def _are_valid(self) -> bool:
        return bool(self.token)


_Delta = state.FetchDelta[int, CtnetSignal, CtnetCheckpoint]


class CtnetSignalExchangeAPI(
    auth.SignalExchangeWithAuth[CtnetCollabConfig, CtnetCredentials],
    SignalExchangeAPI[CtnetCollabConfig, CtnetCheckpoint, CtnetSignalMetadata, int, CtnetSignal],
):
    """ctnet's delta feed, with checkpoints and tombstones."""

    def __init__(self, collab: CtnetCollabConfig, token: str) -> None:
        self.collab = collab
        self.token = token

    @classmethod
    def get_name(cls) -> str:
        return "ctnet"

    @staticmethod
    def get_config_cls() -> type[CtnetCollabConfig]:
        return CtnetCollabConfig

    @staticmethod
    def get_checkpoint_cls() -> type[CtnetCheckpoint]:
        return CtnetCheckpoint

    @staticmethod
    def get_record_cls() -> type[CtnetSignalMetadata]:
        return CtnetSignalMetadata

    @staticmethod
    def get_credential_cls() -> type[CtnetCredentials]:
        return CtnetCredentials

    @classmethod
    def for_collab(
        cls, collab: CtnetCollabConfig, credentials: CtnetCredentials | None = None
    ) -> "CtnetSignalExchangeAPI":
        credentials = credentials or CtnetCredentials.get(cls)
        return cls(collab, credentials.token)

    def fetch_iter(
        self,
        supported_signal_types: t.Sequence[type[SignalType]],
        checkpoint: CtnetCheckpoint | None,
    ) -> t.Iterator[_Delta]:
        since = checkpoint.since if checkpoint is not None else 0
        epoch = checkpoint.epoch if checkpoint is not None else ""
        while True:
            page = self._get_page(since)
            if epoch and page.get("epoch") != epoch:
                # A new or restored ctnet database numbers its changes afresh: resuming would
                # skip or misapply them, and ids held here may name other signals there.
                raise CtnetFeedError(
                    "ctnet's hash database was replaced since the last fetch; "
                    "run `threatexchange fetch --clear`, then fetch again"
                )
            epoch = str(page.get("epoch", ""))
            updates = {
                int(item["id"]): self._record(item) for item in page["items"] if self._wanted(item)
            }
            since = int(page["next"])
            yield state.FetchDelta(updates, CtnetCheckpoint(since, epoch))
            if not page["has_more"]:
                return

    def _get_page(self, since: int) -> dict[str, t.Any]:
        url = f"{self.collab.base_url.rstrip('/')}/api/v1/hashes/feed"
        response = requests.get(
            url,
            params={"since": since, "limit": PAGE_LIMIT},
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
            timeout=REQUEST_TIMEOUT,
        )
        if response.status_code == 401:
            raise auth.SignalExchangeAPIInvalidAuthException(
                type(self), "ctnet refused the token (expired, revoked or mistyped?)"
            )
        if response.status_code != 200:
            raise CtnetFeedError(f"{url} answered {response.status_code}: {response.text[:300]}")
        return t.cast(dict[str, t.Any], response.json())

    def _wanted(self, item: dict[str, t.Any]) -> bool:
        # Tombstones carry no bank: pass them all, deleting an id never fetched changes nothing.
        if item["deleted"] or not self.collab.banks:
            return True
        return int(item["bank_id"]) in self.collab.banks

    @staticmethod
    def _record(item: dict[str, t.Any]) -> CtnetSignal | None:
        if item["deleted"]:
            return None
        signal_type = TO_THREATEXCHANGE.get(item["signal_type"], item["signal_type"])
        labels = item.get("labels") or {}
        return CtnetSignal(
            signal_type=signal_type,
            value=item["value"],
            bank_id=int(item["bank_id"]),
            bank=item.get("bank", ""),
            category=labels.get("category", ""),
            entity=labels.get("entity", ""),
            tlp=item.get("tlp", ""),
            handling=list(item.get("handling") or []),
            disputed=bool(item.get("disputed")),
        )

    @classmethod
    def naive_convert_to_signal_type(
        cls,
        signal_types: t.Sequence[type[SignalType]],
        collab: CtnetCollabConfig,
        fetched: t.Mapping[int, CtnetSignal],
    ) -> dict[type[SignalType], dict[str, CtnetSignalMetadata]]:
        by_name = {st.get_name(): st for st in signal_types}
        ret: dict[type[SignalType], dict[str, CtnetSignalMetadata]] = {}
        for record in fetched.values():
            s_type = by_name.get(record.signal_type)
            if s_type is None:  # e.g. vpdq without threatexchange's vPDQ extension loaded
                continue
            try:
                value = s_type.validate_signal_str(record.value)
            except ValueError:
                log.warning(
                    "ctnet sent an invalid %s hash: %.80s", record.signal_type, record.value
                )
                continue
            ret.setdefault(s_type, {}).setdefault(value, CtnetSignalMetadata()).signals.append(
                record
            )
        return ret
