"""Demo hash banks for ``ctnet demo``: PDQ hashes of seeded generated pictures (no real content).

A standing bank of France shared with the demo platform (some signals confirmed, one pending,
one disputed), and an open crisis bank. The images are made by ``engine.synthetic`` with fixed
seeds: hash ``photo_like(seed)`` yourself and it matches. Idempotent: skipped when the banks exist.

The standing bank also holds the vPDQ hash of a generated video (``engine.synthetic_video``, seed
301). The video and a re-upload of it (re-encoded, resized, its first second cut) are written to
``<data dir>/demo-videos/`` so that a demo user can upload the copy on the match page and find the
banked video with its labels. Without Debian's ffmpeg the video is left out, with a warning.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from django.conf import settings

from ctnet.core.markings import TLP
from ctnet.core.models import Organisation, User
from ctnet.hashes import governance, services
from ctnet.hashes.engine.errors import HashEngineError
from ctnet.hashes.engine.hashing import hash_bytes
from ctnet.hashes.engine.synthetic import jpeg_bytes, photo_like
from ctnet.hashes.engine.synthetic_video import transform, write_video
from ctnet.hashes.engine.video import hash_video_file
from ctnet.hashes.models import Bank, ContentCategory, CrisisEnd

STANDING_BANK = "FRA — propaganda and attack footage (demo)"
CRISIS_BANK = "Crisis: livestreamed attack (demo)"
# Seeds of the demo pictures: 101-104 standing bank, 201-202 crisis bank.
STANDING = [
    (101, ContentCategory.PROPAGANDA, "QDe.115", "flag and logo of the group", True),
    (102, ContentCategory.RECRUITMENT, "ISIL (Da'esh)", "call to travel", True),
    (103, ContentCategory.GRAPHIC_VIOLENCE, "QDe.004", "execution scene", True),
    (104, ContentCategory.INSTRUCTIONAL, "", "weapon assembly", False),
]


def _pdq(seed: int) -> tuple[str, int]:
    hashes = hash_bytes(jpeg_bytes(photo_like(seed)), f"demo-{seed}.jpg")
    assert hashes.pdq is not None and hashes.quality is not None
    return hashes.pdq, hashes.quality


VIDEO_SEED = 301
BANKED_VIDEO = "banked-video.mp4"
REUPLOADED_VIDEO = "reupload-of-banked-video.mp4"

log = logging.getLogger(__name__)


def demo_videos() -> tuple[Path, Path]:
    """The demo's banked video and a re-upload of it, written once to the data directory."""
    folder = settings.DATA_DIR / "demo-videos"
    folder.mkdir(parents=True, exist_ok=True)
    banked, copy = folder / BANKED_VIDEO, folder / REUPLOADED_VIDEO
    if not banked.exists():
        write_video(banked, VIDEO_SEED, seconds=8, width=320, height=240, fps=10)
    if not copy.exists():
        transform(banked, copy, width=240, start=1.0, crf=36)
    return banked, copy


def _contribute_video(users: dict[str, User], bank: Bank) -> None:
    try:
        banked, _copy = demo_videos()
        video = hash_video_file(banked, ffprobe=settings.HASHES_FFPROBE)
    except (OSError, subprocess.SubprocessError, HashEngineError) as exc:
        log.warning("demo: no video signal (%s); install Debian's ffmpeg for it", exc)
        return
    signal = services.contribute_signal(
        acting_user=users["coord.fra"],
        bank=bank,
        signal_type="vpdq",
        value=video.vpdq,
        category=ContentCategory.ATTACK_FOOTAGE,
        entity="QDe.115",
        behaviour="re-posted attack footage",
        legal_basis=bank.legal_basis,
    )
    services.confirm_signal(acting_user=users["secretariat"], signal=signal)


def load_hashes_demo() -> None:
    if Bank.objects.filter(name__in=[STANDING_BANK, CRISIS_BANK]).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=_PEOPLE)}
    platform_org = Organisation.objects.filter(code="TECH-VIDSHARE").first()
    if len(users) < len(_PEOPLE) or platform_org is None:
        return  # the core demo people are missing: nothing to attach the banks to
    bank = services.create_bank(
        acting_user=users["coord.fra"],
        name=STANDING_BANK,
        description="Hashes of generated pictures standing in for known content.",
        tlp=TLP.GREEN,
        recipients=[platform_org],
        legal_basis="Demo: code de la sécurité intérieure, art. L. 6-1",
    )
    for seed, category, entity, behaviour, confirmed in STANDING:
        pdq, quality = _pdq(seed)
        signal = services.contribute_signal(
            acting_user=users["coord.fra"],
            bank=bank,
            signal_type="pdq",
            value=pdq,
            quality=quality,
            category=category,
            entity=entity,
            behaviour=behaviour,
            legal_basis=bank.legal_basis,
        )
        if confirmed:
            services.confirm_signal(acting_user=users["secretariat"], signal=signal)
        if seed == 102:
            for who, reason in (("coord.ken", "a news report"), ("interpol", "not recruitment")):
                governance.give_label_opinion(
                    acting_user=users[who], signal=signal, agrees=False, reason=reason
                )
    _contribute_video(users, bank)
    crisis = services.open_crisis_bank(
        acting_user=users["secretariat"],
        name=CRISIS_BANK,
        incident="Demo incident, city X",
        hours=48,
        end=CrisisEnd.REVIEW,
        tlp=TLP.GREEN,
        recipients=[platform_org],
        legal_basis="Demo: incident protocol",
    )
    for seed in (201, 202):
        pdq, quality = _pdq(seed)
        services.contribute_signal(
            acting_user=users["platform"],
            bank=crisis,
            signal_type="pdq",
            value=pdq,
            quality=quality,
            category=ContentCategory.ATTACK_FOOTAGE,
            behaviour="attacker's livestream",
            legal_basis=crisis.legal_basis,
        )


_PEOPLE = ("coord.fra", "secretariat", "coord.ken", "interpol", "platform")
