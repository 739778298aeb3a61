"""ctnet's signal type names beside python-threatexchange's (``SignalType.get_name()``).

Pure data, so that both sides use it: the extension (inside threatexchange or HMA) and ctnet's
import of their exports. threatexchange names hashes by the content they were made from: its
``video_md5``/``video_sha256`` are plain digests of the file's bytes, as ctnet's ``md5`` and
``sha256`` are, so they map to each other (Tech Against Terrorism's exchange does the same).
``vpdq`` is threatexchange's vPDQ extension (``threatexchange.extensions.vpdq``); ctnet's video
signal type takes that name when it lands, and until then no ctnet signal has it.
"""

from __future__ import annotations

#: ctnet name -> threatexchange name.
TO_THREATEXCHANGE: dict[str, str] = {
    "pdq": "pdq",
    "md5": "video_md5",
    "sha256": "video_sha256",
    "vpdq": "vpdq",
}

#: threatexchange name (and the older names its exports and HMA's banks use) -> ctnet name.
FROM_THREATEXCHANGE: dict[str, str] = {
    **{te: ours for ours, te in TO_THREATEXCHANGE.items()},
    # ThreatExchange's own indicator types, as HMA 1.x and the CLI's ``.te`` files wrote them.
    "hash_pdq": "pdq",
    "hash_md5": "md5",
    "hash_video_md5": "md5",
    "hash_sha256": "sha256",
    # A bare digest name is ctnet's own; accepted so that a ctnet-made list reads back.
    "md5": "md5",
    "sha256": "sha256",
}
