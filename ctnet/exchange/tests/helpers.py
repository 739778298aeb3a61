"""Shared set-up for exchange tests: a third state, and ready-made request payloads."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.utils import timezone

from ctnet.core.models import Role, UNGroup
from ctnet.exchange.models import Request
from ctnet.exchange.services import sending
from ctnet.testing.base import CtnetTestCase, make_org, make_person


def person_data(**over: Any) -> dict[str, Any]:
    data = {
        "family_name": "Exampleton",
        "given_names": "Jordan",
        "date_of_birth": "1990-04-01",
        "nationality": "FRA",
        "documents": [{"type": "passport", "number": "X123456", "country": "FRA"}],
        "legal_status": "suspect",
        "legal_basis": "Art. 8 mutual legal assistance treaty",
        "purpose": "Investigation of a planned attack",
        "review_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "retain_until": (timezone.localdate() + timedelta(days=365)).isoformat(),
    }
    data.update(over)
    return data


def request_data(**over: Any) -> dict[str, Any]:
    data = {
        "subject": "Travel of a suspected facilitator",
        "body": "Do you hold records of entries between March and May?",
        "priority": "urgent",
        "legal_basis": "UNSC resolution 2396 (2017), para 13",
        "purpose": "Disrupt facilitation of foreign terrorist fighters",
        "tlp": "AMBER",
        "handling": ["H2"],
        "source_grade": "B",
        "info_grade": "2",
        "source_details": "Informant KESTREL-7, met in Lyon",
    }
    data.update(over)
    return data


class ExchangeTestCase(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.state_c = make_org("BRA", un_group=UNGroup.LATIN_AMERICAN_CARIBBEAN)
        cls.diego = make_person("diego", cls.state_c, Role.NATIONAL_COORDINATOR)

    def setUp(self) -> None:
        super().setUp()
        self.diego.forget_membership()
        # Attachments are written under DATA_DIR: a throw-away one per test, not the work tree.
        data_dir = Path(self.enterContext(tempfile.TemporaryDirectory(prefix="ctnet-exchange-")))
        self.enterContext(override_settings(DATA_DIR=data_dir))

    def send(self, *recipients: Any, user: Any = None, people: Any = (), **over: Any) -> Request:
        return sending.send_request(
            acting_user=user or self.alice,
            recipients=list(recipients) or [self.state_b],
            data=request_data(**over),
            people=list(people),
        )
