"""A UNOCT project with a results framework, made through the API as its owner would."""

from __future__ import annotations

from typing import Any

from ctnet.core.models import Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person


def project_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "iati_identifier": "XI-CTNET-UNOCT-T1",
        "title": "Border management in East Africa",
        "start_date": "2025-01-01",
        "end_date": "2027-12-31",
        "countries": ["KEN"],
        "themes": ["pillar-2", "border-security"],
        "tlp": "AMBER",
        "recipients": ["KEN"],
        "partners": [
            {"role": "1", "name": "European Union"},
            {"role": "4", "organisation": "KEN"},
        ],
        "budgets": [{"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "250000"}],
        "disbursements": [{"date": "2025-02-01", "value": "100000"}],
    }
    data.update(over)
    return data


class MonitoringTestCase(CtnetTestCase):
    """sam (UNOCT secretariat) owns projects; una (UNOCT focal point) is the second head."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        make_org("SOM")
        cls.una = make_person("una", cls.unoct, Role.ENTITY_FOCAL_POINT)

    def setUp(self) -> None:
        super().setUp()
        self.una.forget_membership()

    def ok(self, method: str, path: str, user: Any, data: Any = None, status: int = 201) -> Any:
        response = self.api(method, path, user, data)
        assert response.status_code == status, (response.status_code, response.content[:500])
        return response.json()

    def make_project(self, **over: Any) -> dict[str, Any]:
        return self.ok("POST", "/monitoring/projects", self.sam, project_data(**over))

    def make_indicator(self, project_id: int, **over: Any) -> dict[str, Any]:
        result = self.ok(
            "POST",
            f"/monitoring/projects/{project_id}/results",
            self.sam,
            {"type": "1", "title": "Border officers trained"},
        )
        body = {
            "title": "Officers trained",
            "measure": "1",
            "baseline_year": 2024,
            "baseline_value": "10",
            "dimensions": {"sex": ["female", "male"], "age": ["18-34", "35+"]},
            "countries": ["KEN"],
        }
        body.update(over)
        return self.ok("POST", f"/monitoring/results/{result['id']}/indicators", self.sam, body)

    def make_period(self, indicator_id: int, **over: Any) -> dict[str, Any]:
        body = {"start": "2025-01-01", "end": "2025-03-31", "target_value": "50"}
        body.update(over)
        return self.ok("POST", f"/monitoring/indicators/{indicator_id}/periods", self.sam, body)
