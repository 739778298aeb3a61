"""Text helpers for full-text search in six scripts; no Django here.

Neither SQLite's ``unicode61`` tokenizer nor PostgreSQL's 'simple' configuration cuts Chinese into
words: a whole run of Han characters would be one token, and a query for 边境 would never match
a text that says 加强边境管理. Both engines therefore index and query text in which every CJK
character stands alone; a CJK query word becomes a phrase of adjacent characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_WORD = re.compile(r"\w+", re.UNICODE)

# Words so common that matching them says nothing about the topic. A short list per language:
# ranking by BM25 already discounts frequent words, but PostgreSQL's ts_rank does not.
_STOPWORDS_BY_LANGUAGE = {
    "en": "a an and are as at be by for from in into is it of on or the to with how what which who",
    "fr": "au aux avec ce ces dans de des du en et la le les leur par pour sur un une est qui que",
    "es": "al con de del el en es la las los para por que un una y o como",
    "ru": "в во и на по с со для как о об от из к что это или не",
    "ar": "في من على إلى عن مع أو و ما هو هي التي الذي كيف",
    "zh": "的 了 和 与 在 是 及 对 中",
}
STOPWORDS = frozenset(w for words in _STOPWORDS_BY_LANGUAGE.values() for w in words.split())
MIN_TERM_CHARS = 2
# Long words are matched on a prefix: a crude, language-neutral stand-in for stemming that lets
# "terroristes" find "terroriste" and "financing" find "financial".
PREFIX_FROM = 6


def spaced(text: str) -> str:
    """Text as both engines index it: NFKC-normalised, lower case, CJK characters apart."""
    return _CJK.sub(r" \1 ", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Term:
    """One query term: a word, a prefix, or a phrase of CJK characters."""

    parts: tuple[str, ...]
    prefix: bool = False


def query_terms(query: str, max_terms: int = 32) -> list[Term]:
    """The distinct meaningful terms of a query, in order."""
    terms: list[Term] = []
    seen: set[Term] = set()
    for chunk in unicodedata.normalize("NFKC", query).lower().split():
        for word in _WORD.findall(chunk):
            pieces = tuple(_WORD.findall(spaced(word)))
            if len(pieces) > 1:
                term = Term(tuple(p for p in pieces if p not in STOPWORDS) or pieces)
            elif word in STOPWORDS or len(word) < MIN_TERM_CHARS or word.isdigit():
                continue
            elif len(word) >= PREFIX_FROM:
                term = Term((word[: max(PREFIX_FROM - 1, len(word) - 2)],), prefix=True)
            else:
                term = Term((word,))
            if term not in seen:
                seen.add(term)
                terms.append(term)
    return terms[:max_terms]


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: any term, each quoted so no user text is read as syntax."""
    out = []
    for term in terms:
        phrase = '"' + " ".join(p.replace('"', "") for p in term.parts) + '"'
        out.append(phrase + ("*" if term.prefix else ""))
    return " OR ".join(out)


def tsquery(terms: list[Term]) -> str:
    """A PostgreSQL raw tsquery: any term; CJK phrases as followed-by chains."""
    out = []
    for term in terms:
        words = [f"'{p}'" for p in term.parts if "'" not in p and "\\" not in p]
        if not words:
            continue
        chain = " <-> ".join(words)
        out.append(f"({chain}:*)" if term.prefix and len(words) == 1 else f"({chain})")
    return " | ".join(out)


def snippet(text: str, terms: list[Term], width: int = 220) -> str:
    """A window of ``text`` around the first query term found, or its start."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    lowered = flat.lower()
    hits = [lowered.find("".join(t.parts)) for t in terms]
    hits = [h for h in hits if h >= 0]
    if not hits:
        return flat[:width].rstrip() + "…"
    start = max(0, min(hits) - width // 3)
    piece = flat[start : start + width].strip()
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")
