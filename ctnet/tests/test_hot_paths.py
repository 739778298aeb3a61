"""SQL queries of every hot endpoint, pinned (issue 18).

The endpoints are those that ``bench/bench_serving.py`` loads through the production server; a
change that adds a query to one of them fails here first, with the count it now makes. Each is
called once before counting so that what is written once per token (``last_used_at``) or built
once per process (the screening index) is not counted.
"""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctnet.screening.tests.helpers import ScreeningTestCase

# name -> (method, path, queries). Authentication is one of them: the token with its person,
# their membership and its organisation, in one query.
HOT = {
    "/healthz": ("GET", "/healthz", 1),  # the database answers
    "/api/v1/me": ("GET", "/api/v1/me", 1),
    "directory search": ("GET", "/api/v1/directory/contacts?country=FRA&topic=border-security", 4),
    "directory route": ("GET", "/api/v1/directory/route?country=FRA&topic=border-security", 3),
    "exchange inbox": ("GET", "/api/v1/exchange/requests?box=incoming&limit=30", 3),
    "practices search": ("GET", "/api/v1/practices/search?q=border+management", 7),
    "screen 100 passengers": ("POST", "/api/v1/screening/screen", 23),
}


class HotPathQueryTests(ScreeningTestCase):
    def test_every_hot_endpoint_makes_its_pinned_number_of_queries(self) -> None:
        self.national_list()
        token = self.token_for(self.alice)
        travellers = [{"id": f"P{i}", "name": f"Traveller {i} Example"} for i in range(99)]
        travellers.append({"id": "L1", "name": "Abdul Rahman Yasin", "dob": "1960-04-10"})
        body = json.dumps({"travellers": travellers, "purpose": "BORDER"})
        headers = {"Authorization": f"Bearer {token}"}
        counts = {}
        for name, (method, path, _expected) in HOT.items():

            def call(method: str = method, path: str = path) -> int:
                if method == "GET":
                    return self.client.get(path, headers=headers).status_code
                return self.client.post(
                    path, body, content_type="application/json", headers=headers
                ).status_code

            self.assertEqual(call(), 200, name)
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(call(), 200, name)
            counts[name] = len(captured.captured_queries)
        self.assertEqual(counts, {name: expected for name, (_m, _p, expected) in HOT.items()})
