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


class VideoError(HashEngineError):
    """Base of the refusals of a video upload."""


class NotAVideo(VideoError):
    """A file given as a video that holds no video stream (or no container at all)."""


class VideoTooLarge(VideoError):
    """A video over a limit: its duration (or frame count), or the pixels of its frames."""

    def __init__(self, message: str, *, limit: str) -> None:
        super().__init__(message)
        #: "duration" or "pixels": which limit, for a message in the user's language.
        self.limit = limit


class UndecodableVideo(VideoError):
    """A video container the decoder cannot open or whose frames it cannot decode."""


class VideoUnavailable(VideoError):
    """Video hashing is not installed here (the vpdq library or FFmpeg's ffprobe is missing)."""
