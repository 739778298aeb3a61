"""Field-level encryption of source details (DESIGN.md rule 2).

The Fernet key is derived with HKDF-SHA256 from ``settings.FIELD_KEY`` and a purpose label, so
the same deployment secret can key other fields later without the keys being related.
A database dump alone therefore never reveals who the sources are.
"""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_INFO = b"ctnet exchange source details v1"


@functools.lru_cache(maxsize=4)
def _fernet(field_key: str) -> Fernet:
    if not field_key:
        raise ImproperlyConfigured("source encryption needs CTNET_FIELD_KEY or CTNET_SECRET_KEY")
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        field_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt(plaintext: str) -> str:
    """The token to store; empty stays empty so that 'no source given' needs no key."""
    if not plaintext:
        return ""
    return _fernet(settings.FIELD_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(settings.FIELD_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        # A rotated key without re-encryption: say so instead of failing the whole page.
        return "[source details cannot be decrypted with the current key]"
