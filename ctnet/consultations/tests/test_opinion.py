"""The opinion map: two camps are found, consensus and divisive statements named, hidden
below k, drawn as SVG."""

from __future__ import annotations

import numpy as np
from django.test import SimpleTestCase

from ctnet.consultations.engine.opinion import opinion_map, svg
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import Role
from ctnet.testing.base import make_person


def two_camps(n: int = 60) -> np.ndarray:
    """Statement 0 everyone agrees with; 1-8 split two camps (a few voters stray); 9-10 noise."""
    rng = np.random.default_rng(1)
    votes = np.zeros((n, 11), dtype=np.float32)
    votes[:, 0] = 1
    camp = np.where(np.arange(n) < n // 2, 1.0, -1.0)
    for j in range(1, 9):
        stray = rng.random(n) < 0.1
        votes[:, j] = np.where(stray, 0.0, camp * (1 if j % 2 else -1))
    votes[:, 9:] = rng.choice([-1, 0, 1], size=(n, 2))
    return votes


class OpinionEngineTests(SimpleTestCase):
    def test_two_camps_consensus_and_divisive(self) -> None:
        result = opinion_map(two_camps())
        self.assertEqual(sorted(g.size for g in result.groups), [30, 30])
        self.assertEqual(result.consensus[0], 0)
        self.assertIn(result.divisive[0], range(1, 9))
        self.assertNotIn(0, result.divisive)
        self.assertEqual(result.points.shape, (60, 2))

    def test_svg_draws_cells_not_people(self) -> None:
        drawn = svg(opinion_map(two_camps(2000)), title="Map <x>", group_label="Group")
        self.assertTrue(drawn.startswith("<svg"))
        self.assertIn("Map &lt;x&gt;", drawn)
        self.assertLess(drawn.count("<circle"), 2 * 32 * 32 + 1)

    def test_too_few_participants_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            opinion_map(np.zeros((2, 3)))


class OpinionMapPageTests(ConsultationTestCase):
    def voted(self, people: int) -> dict:
        c = self.open()
        stance = str(c["questions"][3]["id"])
        for i in range(people):
            member = make_person(f"v{c['id']}-{i}", self.cso_org, Role.CSO_MEMBER, otp=False)
            vote = "agree" if i % 2 else "disagree"
            self.assertEqual(
                self.send(c, member, answers=self.answers(c) | {stance: vote}).status_code, 201
            )
        return c

    def test_hidden_while_open_and_below_k(self) -> None:
        c = self.voted(4)
        self.assertEqual(self.get(c, self.sam, "/opinion-map").status_code, 409)
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        response = self.get(c, self.sam, "/opinion-map")
        self.assertEqual(response.status_code, 409)
        self.assertIn("at least 5", response.json()["detail"])
        self.login(self.sam)
        self.assertEqual(
            self.client.get(f"/consultations/{c['id']}/opinion-map.svg").status_code, 409
        )

    def test_shown_after_closing_with_k_participants(self) -> None:
        c = self.voted(6)
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        found = self.get(c, self.cso, "/opinion-map").json()
        self.assertEqual(sum(g["size"] for g in found["groups"]), 6)
        self.assertEqual(found["statements"], [c["questions"][3]["id"]])
        self.login(self.cso)
        page = self.client.get(f"/consultations/{c['id']}/opinion-map.svg")
        self.assertEqual(page["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", page.content)
        self.assertContains(self.client.get(f"/consultations/{c['id']}/"), "opinion-map.svg")
