"""Typed technical indicators of bulletins, validated and normalised on input.

Pure Python, no Django models: each kind has one cleaning function that returns the canonical
value (what the STIX pattern and duplicate checks use) or raises ``ValueError`` with a reason.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import urlsplit

MAX_URL = 2000
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_domain(value: str) -> str:
    name = value.strip().rstrip(".").lower()
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError("not a valid domain name") from None
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(lab) for lab in labels):
        raise ValueError("not a valid domain name")
    if labels[-1].isdigit():
        raise ValueError("an IP address is not a domain name; use the ipv4 kind")
    return name


def clean_url(value: str) -> str:
    url = value.strip()
    if len(url) > MAX_URL or _CONTROL.search(url) or " " in url:
        raise ValueError("not a valid URL")
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https", "ftp"} or not parts.hostname:
        raise ValueError("a URL needs an http, https or ftp scheme and a host")
    return url


def clean_ipv4(value: str) -> str:
    try:
        return str(ipaddress.IPv4Address(value.strip()))
    except ValueError:
        raise ValueError("not an IPv4 address") from None


def clean_sha256(value: str) -> str:
    digest = value.strip().lower()
    if not _SHA256.match(digest):
        raise ValueError("a SHA-256 is 64 hexadecimal characters")
    return digest


def clean_file_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > 255 or "/" in name or "\\" in name or _CONTROL.search(name):
        raise ValueError("a file name has no path separators or control characters")
    return name


CLEANERS: dict[str, Callable[[str], str]] = {
    "domain": clean_domain,
    "url": clean_url,
    "ipv4": clean_ipv4,
    "sha256": clean_sha256,
    "file_name": clean_file_name,
}


def clean_indicator(kind: str, value: str) -> str:
    cleaner = CLEANERS.get(kind)
    if cleaner is None:
        raise ValueError(f"unknown indicator kind {kind!r}")
    return cleaner(value)


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


PATTERNS: dict[str, str] = {
    "domain": "[domain-name:value = {v}]",
    "url": "[url:value = {v}]",
    "ipv4": "[ipv4-addr:value = {v}]",
    "sha256": "[file:hashes.'SHA-256' = {v}]",
    "file_name": "[file:name = {v}]",
}


def stix_pattern(kind: str, value: str) -> str:
    return PATTERNS[kind].format(v=_quote(value))
