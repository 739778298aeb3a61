"""Errors raised by the hash engine; each carries a message fit to show to a user."""

from __future__ import annotations


class HashEngineError(Exception):
    """Base class, so that callers can catch every engine refusal in one place."""


class InvalidSignal(HashEngineError, ValueError):
    """A hash value is malformed for its signal type (wrong length, not hexadecimal...)."""


class UnknownSignalType(HashEngineError, KeyError):
    """A signal type name that is not in the registry."""

    def __str__(self) -> str:
        # KeyError would quote the message; show it as written.
        return str(self.args[0]) if self.args else "unknown signal type"


class UnreadableImage(HashEngineError):
    """A file that claims to be (or must be) an image could not be decoded."""


class ImageTooLarge(UnreadableImage):
    """An image whose pixel count exceeds the limit: refused as a possible decompression bomb."""


class IndexFormatError(HashEngineError):
    """A saved index file that is not one this version of the engine wrote."""
