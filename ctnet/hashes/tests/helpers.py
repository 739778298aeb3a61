"""Shared set-up of the hash-bank tests: two banks, images made by the engine's generator."""

from __future__ import annotations

import io
import tempfile
from functools import cache

from django.test import override_settings
from PIL import Image

from ctnet.core.markings import TLP
from ctnet.hashes import indexing, services
from ctnet.hashes.engine.hashing import hash_bytes
from ctnet.hashes.engine.synthetic import jpeg_bytes, photo_like
from ctnet.hashes.models import Bank, ContentCategory, Signal
from ctnet.testing.base import CtnetTestCase

_INDEX_DIR = tempfile.mkdtemp(prefix="ctnet-hashes-test-")


@cache
def image_bytes(seed: int, quality: int = 90) -> bytes:
    return jpeg_bytes(photo_like(seed), quality=quality)


def recompressed(seed: int) -> bytes:
    """The same picture saved again at low quality and a smaller size: a typical re-upload."""
    image = Image.open(io.BytesIO(image_bytes(seed))).convert("RGB")
    image = image.resize((image.width * 3 // 4, image.height * 3 // 4))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=45)
    return out.getvalue()


@cache
def pdq_of(seed: int) -> str:
    pdq = hash_bytes(image_bytes(seed), f"{seed}.jpg").pdq
    assert pdq is not None
    return pdq


@override_settings(HASHES_INDEX_DIR=_INDEX_DIR)
class HashesTestCase(CtnetTestCase):
    """FRA owns a GREEN bank shared with TECH-X that needs confirmation; KEN owns an AMBER bank
    shared with nobody."""

    shared_bank: Bank
    ken_bank: Bank

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.shared_bank = services.create_bank(
            acting_user=cls.alice,
            name="FRA propaganda",
            tlp=TLP.GREEN,
            recipients=[cls.tech_org],
            legal_basis="Loi 2015-912",
        )
        cls.ken_bank = services.create_bank(
            acting_user=cls.charlie, name="KEN bank", tlp=TLP.AMBER, requires_confirmation=False
        )

    def setUp(self) -> None:
        super().setUp()
        # Each test rolls the checkpoint back; an index held from another test would lie.
        indexing.reset_index_cache()

    @classmethod
    def contribute(cls, user, bank: Bank, value: str, signal_type: str = "pdq", **kw) -> Signal:
        fields = {
            "category": ContentCategory.PROPAGANDA,
            "legal_basis": "UNSCR 2396",
            "entity": "QDe.115",
            **kw,
        }
        return services.contribute_signal(
            acting_user=user, bank=bank, signal_type=signal_type, value=value, **fields
        )

    def upload(self, path: str, user, data: bytes, name: str = "image.jpg", **kw):
        headers = {"Authorization": f"Bearer {self.token_for(user)}"} if user else {}
        return self.client.post(
            f"/api/v1{path}", {"file": _named(data, name)}, headers=headers, **kw
        )


def _named(data: bytes, name: str) -> io.BytesIO:
    fp = io.BytesIO(data)
    fp.name = name
    return fp
