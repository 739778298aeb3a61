"""Passenger lists as uploaded: CSV or UN/EDIFACT PAXLST, told apart by content (the engine's
``formats.read_passengers``), parsed in memory (an uploaded manifest never touches the disk, so
an unmatched passenger leaves nothing behind when the request ends)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from ctnet.screening.engine import formats
from ctnet.screening.engine.model import BadRow, Traveller, WatchlistFormatError
from ctnet.screening.models import Channel

# Multipart framing around the file (boundaries, the purpose field): allowed on top of the file.
UPLOAD_OVERHEAD = 64 * 1024
# Where passenger lists are uploaded through the API (the page sets its handler in its view).
API_UPLOAD_PATH = "/api/v1/screening/screen/upload"


class InMemoryUploads(MemoryFileUploadHandler):
    """Hold an uploaded passenger list in memory whatever its size (capped before it is read),
    so that not even Django's temporary upload file keeps a passenger on disk."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


def too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.SCREENING_MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD


class PassengerListUploadMiddleware:
    """For the API's passenger-list upload: refuse an oversized body before reading a byte of
    it, and keep the rest in memory. A middleware, because the API framework reads the files
    before the endpoint runs; it sits before every middleware that could read the body."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == API_UPLOAD_PATH:
            if too_large(request):
                message = _("The passenger list is larger than %(max)d MB.") % {
                    "max": max(1, settings.SCREENING_MAX_UPLOAD_BYTES // (1024 * 1024))
                }
                return JsonResponse({"detail": message}, status=413)
            request.upload_handlers = [InMemoryUploads(request)]
        response: HttpResponse = self.get_response(request)
        return response


class UploadRefused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class PassengerList:
    channel: str
    travellers: list[Traveller]
    bad: list[BadRow]
    flight: dict[str, Any] = field(default_factory=dict)


def _flight(message: Any) -> dict[str, Any]:
    """The flight facts of a PAXLST message, as plain JSON (no person in them)."""
    flight = getattr(message, "flight", None)
    if flight is None:
        return {}
    facts = {
        name: getattr(flight, name)
        for name in (
            "carrier",
            "flight_number",
            "departure_airport",
            "arrival_airport",
            "departure_time",
            "arrival_time",
        )
        if getattr(flight, name, None)
    }
    facts = {k: v.isoformat() if hasattr(v, "isoformat") else str(v) for k, v in facts.items()}
    for name in ("reference", "list_kind", "sender", "recipient"):
        value = getattr(message, name, None)
        if value:
            facts[name] = str(value)
    return facts


def read_passenger_list(data: bytes, file_name: str) -> PassengerList:
    name = Path(file_name or "upload").name
    if len(data) > settings.SCREENING_MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("%(file)s is larger than %(max)d MB.")
            % {"file": name, "max": max(1, settings.SCREENING_MAX_UPLOAD_BYTES // (1024 * 1024))},
            status=413,
        )
    if not data.strip():
        raise UploadRefused(_("%(file)s is empty.") % {"file": name})
    try:
        found = formats.read_passengers(data, name)
    except formats.NotText:
        raise UploadRefused(
            _("%(file)s is neither a PAXLST message nor a UTF-8 CSV file.") % {"file": name}
        ) from None
    except WatchlistFormatError as exc:
        where = f"{name}:{exc.line}" if exc.line is not None else name
        raise UploadRefused(f"{where}: {exc.message}") from None
    if found.message is not None:
        return PassengerList(Channel.PAXLST, found.travellers, found.bad, _flight(found.message))
    return PassengerList(Channel.CSV, found.travellers, found.bad)
