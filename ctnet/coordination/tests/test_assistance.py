"""Needs, offers and matches: proposals by topic, region and language; accepting; closing."""

from __future__ import annotations

import random

from django.core import mail
from django.test import Client

from ctnet.coordination import matching
from ctnet.coordination.models import AssistanceNeed, Match
from ctnet.core.models import AuditEvent, OrgKind, Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person

NEED = {
    "topic": "border-security",
    "urgency": "high",
    "languages": ["en", "fr"],
    "title": "Training of border guards in document checks",
    "existing": "A school for border guards, no document laboratory.",
}


class AssistanceTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)

    def offer(self, user, **over):
        data = {"topic": "border-security", "languages": ["fr"], "title": "Document checks course"}
        data.update(over)
        return self.api("POST", "/coordination/offers", user, data)

    def test_need_and_offers_are_matched_by_topic_region_and_language(self) -> None:
        self.assertEqual(self.offer(self.ursula).status_code, 201)
        self.offer(self.ursula, regions=["AFRICAN"], title="For Africa only")
        self.offer(self.ursula, languages=["ru"], title="In Russian only")
        self.offer(self.ursula, topic="cyber", title="Cyber")
        self.offer(
            self.sam, regions=["WESTERN_EUROPEAN_OTHERS"], languages=["en", "fr"], title="Best"
        )
        need = self.api("POST", "/coordination/needs", self.alice, NEED)
        self.assertEqual(need.status_code, 201, need.content)
        titles = [m["offer_title"] for m in need.json()["matches"]]
        self.assertEqual(titles, ["Best", "Document checks course"])
        # An offer made after the need is proposed for it too.
        self.offer(self.charlie, title="Later offer")
        body = self.api("GET", f"/coordination/needs/{need.json()['id']}", self.alice).json()
        self.assertIn("Later offer", [m["offer_title"] for m in body["matches"]])
        self.assertTrue(AuditEvent.objects.filter(action="coordination.need_recorded").exists())

    def test_accept_then_close(self) -> None:
        make_person("uma", self.unodc, Role.ENTITY_FOCAL_POINT)
        self.offer(self.ursula)
        need = self.api("POST", "/coordination/needs", self.alice, NEED).json()
        match_id = need["matches"][0]["id"]
        path = f"/coordination/matches/{match_id}/accept"
        self.assertEqual(self.api("POST", path, self.charlie).status_code, 403)
        self.assertEqual(self.api("POST", path, self.ursula).status_code, 403)
        with self.captureOnCommitCallbacks(execute=True):
            accepted = self.api("POST", path, self.bob)
        self.assertEqual((accepted.status_code, accepted.json()["status"]), (200, "agreed"))
        self.assertEqual(len(mail.outbox), 2)  # UNODC's two focal points
        self.assertEqual(AssistanceNeed.objects.get().status, "matched")
        close = f"/coordination/needs/{need['id']}/close"
        self.assertEqual(self.api("POST", close, self.charlie, {"report": "x"}).status_code, 403)
        self.assertEqual(self.api("POST", close, self.ursula, {"report": ""}).status_code, 422)
        done = self.api("POST", close, self.ursula, {"report": "Forty guards trained."})
        self.assertEqual((done.status_code, done.json()["status"]), (200, "closed"))
        self.assertEqual(self.api("POST", close, self.alice, {"report": "again"}).status_code, 400)
        self.assertEqual(self.api("POST", path, self.alice).status_code, 400)

    def test_refusals(self) -> None:
        self.assertEqual(self.api("POST", "/coordination/needs", None, NEED).status_code, 401)
        for user in (self.ursula, self.sam, self.cso, self.pat):
            self.assertEqual(self.api("POST", "/coordination/needs", user, NEED).status_code, 403)
        self.assertEqual(self.api("POST", "/coordination/needs", self.olga, NEED).status_code, 403)
        self.assertEqual(self.offer(self.cso).status_code, 403)
        for bad, words in (
            ({"topic": "knitting"}, "Unknown topic"),
            ({"languages": ["xx"]}, "Languages"),
        ):
            response = self.api("POST", "/coordination/needs", self.alice, {**NEED, **bad})
            self.assertEqual(response.status_code, 400)
            self.assertIn(words, response.json()["detail"])
        self.assertEqual(self.offer(self.ursula, regions=["MARS"]).status_code, 400)
        self.assertEqual(
            self.api(
                "POST", "/coordination/needs", self.alice, {**NEED, "urgency": "now"}
            ).status_code,
            400,
        )
        self.assertEqual(AssistanceNeed.objects.count(), 0)
        need = self.api("POST", "/coordination/needs", self.alice, NEED).json()
        self.assertEqual(
            self.api("GET", f"/coordination/needs/{need['id']}", self.cso).status_code, 404
        )
        self.assertEqual(
            self.api("GET", f"/coordination/needs/{need['id']}", self.olga).status_code, 404
        )

    def test_needs_page(self) -> None:
        self.offer(self.ursula)
        need = self.api("POST", "/coordination/needs", self.alice, NEED).json()
        self.login(self.alice)
        page = self.client.get("/coordination/needs/")
        self.assertContains(page, "Document checks course")
        response = self.client.post(f"/coordination/matches/{need['matches'][0]['id']}/accept/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Match.objects.get().status, "agreed")

    def test_an_entity_offers_and_a_state_records_a_need_through_the_pages(self) -> None:
        entity = self.login(self.ursula, Client())
        self.assertContains(entity.get("/coordination/needs/"), 'href="/coordination/offers/new/"')
        self.assertNotContains(entity.get("/coordination/needs/"), "/coordination/needs/new/")
        self.assertEqual(entity.get("/coordination/offers/new/").status_code, 200)
        response = entity.post(
            "/coordination/offers/new/",
            {
                "title": "Document checks course",
                "topic": "border-security",
                "languages": ["fr"],
                "regions": ["WESTERN_EUROPEAN_OTHERS"],
                "description": "Two weeks, in the state's school.",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertTrue(AuditEvent.objects.filter(action="coordination.offer_recorded").exists())
        # An entity records no need; a state does, and the offer is proposed to it.
        self.assertEqual(entity.get("/coordination/needs/new/").status_code, 403)
        state = self.login(self.alice, Client())
        form = {k: v for k, v in NEED.items()}
        response = state.post("/coordination/needs/new/", form)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        need = AssistanceNeed.objects.get()
        self.assertEqual(need.originator, self.state_a)
        self.assertEqual(need.matches.count(), 1)
        page = state.get("/coordination/needs/")
        self.assertContains(page, "Document checks course")
        self.assertContains(page, "Offers of assistance")
        # The state closes its need with a report through the page.
        self.assertContains(page, f'action="/coordination/needs/{need.pk}/close/"')
        response = state.post(f"/coordination/needs/{need.pk}/close/", {"report": "Done."})
        self.assertEqual(response.status_code, 302)
        need.refresh_from_db()
        self.assertEqual((need.status, need.closing_report), ("closed", "Done."))

    def test_bad_need_and_offer_forms_write_nothing(self) -> None:
        state = self.login(self.alice, Client())
        bad = state.post("/coordination/needs/new/", {**NEED, "languages": []})
        self.assertEqual(bad.status_code, 400)
        bad = state.post("/coordination/needs/new/", {**NEED, "topic": "gardening"})
        self.assertContains(bad, "gardening", status_code=400)
        self.assertFalse(AssistanceNeed.objects.exists())
        entity = self.login(self.ursula, Client())
        bad = entity.post(
            "/coordination/offers/new/",
            {"title": "x", "topic": "border-security", "languages": ["fr"], "regions": ["MARS"]},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(AuditEvent.objects.filter(action="coordination.offer_recorded").exists())
        # Civil society neither offers nor records a need; anonymous goes to sign in.
        cso = self.login(self.cso, Client())
        self.assertEqual(cso.get("/coordination/offers/new/").status_code, 403)
        self.assertEqual(cso.get("/coordination/needs/new/").status_code, 403)
        response = Client().get("/coordination/offers/new/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        # Closing: an empty report, or a state that is not the one in need.
        need = self.api("POST", "/coordination/needs", self.alice, NEED).json()
        path = f"/coordination/needs/{need['id']}/close/"
        self.assertEqual(state.post(path, {"report": ""}).status_code, 302)
        self.assertEqual(AssistanceNeed.objects.get().status, "open")
        self.assertEqual(
            self.login(self.charlie, Client()).post(path, {"report": "x"}).status_code, 403
        )
        self.assertEqual(AssistanceNeed.objects.get().status, "open")

    def test_an_accepted_match_becomes_a_project_whose_report_closes_the_need(self) -> None:
        from ctnet.coordination.services.assistance import close_reported_needs
        from ctnet.monitoring.models import Period, PeriodUpdate, Project

        self.offer(self.ursula)
        need = self.api("POST", "/coordination/needs", self.alice, NEED).json()
        match_id = need["matches"][0]["id"]
        project = {
            "iati_identifier": "XI-CTNET-UNODC-FRA-1",
            "title": "Document checks for France's border guards",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        }
        # Not before the state accepts; not by the state; not by another entity.
        path = f"/coordination/matches/{match_id}/project"
        self.assertEqual(self.api("POST", path, self.ursula, project).status_code, 403)
        self.api("POST", f"/coordination/matches/{match_id}/accept", self.alice)
        self.assertEqual(self.api("POST", path, self.alice, project).status_code, 403)
        # Dates the wrong way round: monitoring refuses, and nothing of either is kept.
        bad = self.api("POST", path, self.ursula, {**project, "end_date": "2025-01-01"})
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(Project.objects.exists())
        self.assertIsNone(Match.objects.get().project_id)
        # Through the page: the assisting entity is offered the form and starts the project.
        entity = self.login(self.ursula, Client())
        page = entity.get("/coordination/needs/")
        self.assertContains(page, f'action="/coordination/matches/{match_id}/project/"')
        response = entity.post(f"/coordination/matches/{match_id}/project/", project)
        self.assertEqual(response.status_code, 302)
        made = Project.objects.get()
        self.assertEqual(response["Location"], f"/monitoring/projects/{made.pk}/")
        self.assertEqual((made.countries, made.themes), (["FRA"], ["border-security"]))
        self.assertEqual(made.originator, self.unodc)
        self.assertEqual(Match.objects.get().project, made)
        self.assertTrue(AuditEvent.objects.filter(action="coordination.match_project").exists())
        self.assertEqual(self.api("POST", path, self.ursula, project).status_code, 400)  # once
        # The state sees the link to the project.
        state_page = self.login(self.alice, Client()).get("/coordination/needs/")
        self.assertContains(state_page, f'href="/monitoring/projects/{made.pk}/"')
        # No approved report yet: the need stays matched; an approved one closes it.
        result = self.api(
            "POST",
            f"/monitoring/projects/{made.pk}/results",
            self.ursula,
            {"type": "1", "title": "Guards trained"},
        ).json()
        indicator = self.api(
            "POST",
            f"/monitoring/results/{result['id']}/indicators",
            self.ursula,
            {
                "title": "Guards trained",
                "measure": "1",
                "baseline_year": 2025,
                "baseline_value": "0",
            },
        ).json()
        period_body = {"start": "2026-01-01", "end": "2026-03-31", "target_value": "40"}
        self.api(
            "POST", f"/monitoring/indicators/{indicator['id']}/periods", self.ursula, period_body
        )
        period = Period.objects.get()
        update = PeriodUpdate.objects.create(
            period=period, status="submitted", value=12, created_by=self.ursula
        )
        self.assertEqual(close_reported_needs(), 0)
        update.status = "approved"
        update.save()
        self.assertEqual(close_reported_needs(), 1)
        closed = AssistanceNeed.objects.get()
        self.assertEqual(closed.status, "closed")
        self.assertIn("XI-CTNET-UNODC-FRA-1", closed.closing_report)
        self.assertEqual(close_reported_needs(), 0)


def test_index_agrees_with_brute_force() -> None:
    rng = random.Random(7)
    topics, regions, langs = ["a", "b", "c"], ["R1", "R2", "R3"], ["en", "fr", "es", "ar"]
    needs = [
        matching.NeedKey(
            i, rng.choice(topics), rng.choice(regions), frozenset(rng.sample(langs, 2))
        )
        for i in range(300)
    ]
    offers = [
        matching.OfferKey(
            i,
            rng.choice(topics),
            frozenset(rng.sample(regions, rng.choice([0, 1, 2]))),
            frozenset(rng.sample(langs, rng.choice([1, 2]))),
        )
        for i in range(120)
    ]
    found = matching.indexed(needs, matching.OfferIndex(offers))
    assert found == matching.brute_force(needs, offers)
    assert found  # the data does produce matches
