"""EDIFACT syntax under PAXLST (ISO 9735): service characters (UNA), character sets (UNB),
detection, and the tokeniser that cuts an interchange into numbered segments, honouring the
release character."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ctnet.screening.engine.model import WatchlistFormatError


@dataclass(frozen=True, slots=True)
class Separators:
    """The service characters of ISO 9735 (UNA). `release` None means no release character."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    terminator: str = "'"

    def una(self) -> str:
        return (
            f"UNA{self.component}{self.element}{self.decimal}{self.release or ' '} "
            f"{self.terminator}"
        )


DEFAULT_SEPARATORS = Separators()


# --------------------------------------------------------------------------------------------
# Character sets
#
# UNB S001 names the repertoire of the whole interchange; UNA and UNB themselves are always in
# level A, so they can be read before the rest is decoded. Latin levels are ISO 8859 parts
# (UNOC = ISO 8859-1, the usual choice for European names with diacritics); UNOY and UNOW are
# ISO 10646 and are sent as UTF-8 in practice. UNOA/UNOB are 7-bit: a byte above 0x7F under them
# is a sender error we refuse rather than guess, since a wrong guess changes the names screened.
ENCODINGS: dict[str, str] = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso-8859-1",
    "UNOD": "iso-8859-2",
    "UNOE": "iso-8859-5",
    "UNOF": "iso-8859-7",
    "UNOG": "iso-8859-3",
    "UNOH": "iso-8859-4",
    "UNOI": "iso-8859-6",
    "UNOJ": "iso-8859-8",
    "UNOK": "iso-8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
# Level A: upper-case letters, digits, space and these marks (ISO 9735 annex).
LEVEL_A = re.compile(r"[A-Z0-9 .,\-()/='+:?!\"%&*;<>]*")
_TAG = re.compile(r"[A-Z][A-Z0-9]{2}")
_BOM = b"\xef\xbb\xbf"


def paxlst_encoding(syntax_identifier: str) -> str:
    """Python codec for a UNB syntax identifier; ValueError for one this reader does not know."""
    try:
        return ENCODINGS[syntax_identifier.upper()]
    except KeyError:
        raise ValueError(f"unsupported character set {syntax_identifier!r}") from None


# --------------------------------------------------------------------------------------------
# Detection


def head_separators(text: str) -> tuple[Separators, str]:
    """(separators, text after UNA) for text that may start with a UNA service string advice."""
    if text.startswith("UNA") and len(text) >= 9:
        comp, elem, dec, rel, term = text[3], text[4], text[5], text[6], text[8]
        return Separators(comp, elem, dec, None if rel == " " else rel, term), text[9:]
    return DEFAULT_SEPARATORS, text


def looks_like_paxlst(head: bytes) -> bool:
    """True when the first bytes of a file are an EDIFACT interchange carrying a PAXLST.

    Judged by content (an upload's name and type say nothing reliable): optional UNA, then UNB,
    then a UNH whose message type is PAXLST somewhere in `head` (pass a few KiB).
    """
    text = head.removeprefix(_BOM).decode("latin-1").lstrip()
    seps, rest = head_separators(text)
    if not rest.lstrip().startswith("UNB" + seps.element):
        return False
    e, c, t = (re.escape(x) for x in (seps.element, seps.component, seps.terminator))
    return re.search(f"UNH{e}[^{t}]*?{e}PAXLST{c}", rest) is not None


# --------------------------------------------------------------------------------------------
# Tokenising


Segment = tuple[int, str, list[list[str]]]  # (segment number, tag, elements of components)


def _split_released(text: str, sep: str, release: str) -> list[str]:
    """Split on `sep` except where released: a separator preceded by an odd run of releases."""
    parts: list[str] = []
    start = 0
    pos = text.find(sep)
    while pos != -1:
        run = 0
        k = pos - 1
        while k >= start and text[k] == release:
            run += 1
            k -= 1
        if run % 2 == 0:
            parts.append(text[start:pos])
            start = pos + 1
        pos = text.find(sep, pos + 1)
    parts.append(text[start:])
    return parts


def tokenise(body: str, seps: Separators, first: int, source: str) -> list[Segment]:
    """Cut `body` (the interchange after UNA) into numbered segments starting at `first`."""
    rel = seps.release
    released = rel is not None and rel in body
    raw = (
        _split_released(body, seps.terminator, rel)
        if released and rel
        else body.split(seps.terminator)
    )
    tail = raw.pop()
    # Line breaks between segments are common and not data (unless one *is* a separator).
    strip = "".join(ch for ch in "\r\n\t " if ch not in (seps.element, seps.component))
    if tail.strip(strip):
        raise WatchlistFormatError(
            source,
            first + len(raw),
            "unterminated interchange: text after the last segment terminator "
            f"({tail.strip()[:30]!r}); the transmission looks cut off",
        )
    unescape = re.compile(re.escape(rel) + "(.)", re.DOTALL) if released and rel else None
    segments: list[Segment] = []
    for number, seg in enumerate(raw, start=first):
        seg = seg.lstrip(strip)
        if unescape is not None and rel is not None and rel in seg:
            elements = [
                [unescape.sub(r"\1", c) for c in _split_released(e, seps.component, rel)]
                for e in _split_released(seg, seps.element, rel)
            ]
        else:
            elements = [e.split(seps.component) for e in seg.split(seps.element)]
        tag = elements[0][0]
        if not _TAG.fullmatch(tag):
            raise WatchlistFormatError(
                source, number, f"segment does not start with a segment tag: {seg[:30]!r}"
            )
        segments.append((number, tag, elements[1:]))
    return segments


def component(elements: list[list[str]], i: int, j: int = 0) -> str:
    """Component j of element i ('' when absent), as EDIFACT omits trailing empty parts."""
    if i < len(elements) and j < len(elements[i]):
        return elements[i][j]
    return ""


def decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    raw = data.removeprefix(_BOM)
    head = raw[:600].decode("latin-1").lstrip()
    seps, rest = head_separators(head)
    rest = rest.lstrip()
    if not rest.startswith("UNB" + seps.element):
        raise WatchlistFormatError(
            source, 1, "not an EDIFACT interchange: it must begin with UNA or UNB"
        )
    syntax = (
        rest[4:].split(seps.component, 1)[0].split(seps.element, 1)[0].split(seps.terminator, 1)[0]
    )
    try:
        codec = paxlst_encoding(syntax)
    except ValueError as exc:
        raise WatchlistFormatError(source, 2 if head.startswith("UNA") else 1, str(exc)) from None
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].count(seps.terminator.encode("latin-1"))
        raise WatchlistFormatError(
            source,
            before + 1,
            f"byte 0x{raw[exc.start]:02X} at offset {exc.start} is not {codec} as UNB "
            f"declares ({syntax})",
        ) from None
