"""Demo exchanges for ``ctnet demo``: an urgent request, a bulletin, a release awaiting approval.

Fictional content throughout. Idempotent: nothing is added once any demo request exists.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ctnet.core.models import Organisation, User
from ctnet.exchange.models import Request
from ctnet.exchange.services import bulletins, lifecycle, releases, sending

DEMO_SUBJECT = "Urgent: movements of a suspected facilitator (demo)"


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, membership__is_active=True).first()


def _request_data() -> dict:
    return {
        "subject": DEMO_SUBJECT,
        "body": "Do you hold entry or exit records for the person named below since 1 March?",
        "priority": "urgent",
        "legal_basis": "UNSC resolution 2396 (2017), paragraph 13",
        "purpose": "Prevent the travel of a foreign terrorist fighter",
        "tlp": "AMBER",
        "handling": ["H1", "H2"],
        "source_grade": "B",
        "info_grade": "2",
        "source_details": "Liaison report LR-0042 (demo)",
    }


def _person() -> dict:
    review = timezone.localdate() + timedelta(days=90)
    return {
        "family_name": "Example",
        "given_names": "Demo Person",
        "date_of_birth": "1990-01-01",
        "nationality": "FRA",
        "legal_status": "suspect",
        "legal_basis": "UNSC resolution 2396 (2017)",
        "purpose": "Border screening",
        "review_date": review.isoformat(),
        "retain_until": (review + timedelta(days=365)).isoformat(),
    }


DEMO_BULLETIN = {
    "title": "Commercial drones fitted with release mechanisms (demo)",
    "body": "Quadcopters sold online with payload-release kits; see indicators.",
    "category": "drones",
    "audience": "network",
    "tlp": "GREEN",
}
DEMO_INDICATORS = [
    {"kind": "domain", "value": "drone-kits.example"},
    {"kind": "url", "value": "https://drone-kits.example/release-kit"},
    {"kind": "ipv4", "value": "203.0.113.25"},
    {"kind": "sha256", "value": "0" * 63 + "1"},
    {"kind": "file_name", "value": "release-kit-firmware.bin"},
]


def load_exchange_demo() -> None:
    fra, ken, jor = _user("coord.fra"), _user("coord.ken"), _user("coord.jor")
    if fra is None or ken is None or jor is None:
        return
    if Request.objects.filter(subject=DEMO_SUBJECT).exists():
        return
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=["KEN", "JOR", "COL"])}
    request = sending.send_request(
        acting_user=fra,
        recipients=[orgs["KEN"], orgs["JOR"]],
        data=_request_data(),
        people=[_person()],
    )
    delivery = request.deliveries.get(organisation__code="KEN")
    lifecycle.acknowledge(acting_user=ken, delivery=delivery)
    lifecycle.reply(
        acting_user=ken,
        delivery=delivery,
        body="One entry found so far; more to come.",
        kind="part",
    )
    if "COL" in orgs:
        releases.file_release(
            acting_user=ken,
            material=request,
            new_recipient=orgs["COL"],
            reason="Possible onward travel to the Andean region.",
        )
    bulletins.publish_bulletin(acting_user=jor, data=DEMO_BULLETIN, indicators=DEMO_INDICATORS)
