"""What a project answers (issue 16): commitments of action plans and themes of consultations,
linked through core's registry, by API and pages, with every refusal; and the lists on the
other sides (a plan's page, a consultation's page) that show only the projects one may see."""

from __future__ import annotations

from typing import Any

from ctnet.consultations.models import Consultation, Theme, ThemeProject
from ctnet.coordination.models import Commitment, CommitmentProject
from ctnet.coordination.tests.helpers import plan_data
from ctnet.core.capabilities import answer_kinds
from ctnet.core.models import AuditEvent
from ctnet.monitoring.tests.helpers import MonitoringTestCase


class AnswerTestCase(MonitoringTestCase):
    """sam (UNOCT secretariat) heads an AMBER project shared with Kenya, whose coordinator
    charlie reads it as its implementing partner; France (alice) does not see it. France's
    network plan is read by everyone; its plan shared with Kenya only is not read by UNOCT."""

    def setUp(self) -> None:
        super().setUp()
        self.project = self.make_project()
        self.pid = self.project["id"]
        plan = self.ok("POST", "/coordination/plans", self.alice, plan_data())
        self.commitment = Commitment.objects.get(plan_id=plan["id"])
        hidden = self.ok(
            "POST",
            "/coordination/plans",
            self.alice,
            plan_data(title="Shared plan", visibility="shared", shared_with=["KEN"]),
        )
        self.hidden_commitment = Commitment.objects.get(plan_id=hidden["id"])
        self.consultation = self._consultation(self.unoct, "Draft programme on prisons")
        self.theme = Theme.objects.create(consultation=self.consultation, title="Youth work")
        other = self._consultation(self.state_b, "Another unit's consultation")
        self.hidden_theme = Theme.objects.create(consultation=other, title="Not ours")

    def _consultation(self, org: Any, title: str) -> Consultation:
        return Consultation.objects.create(
            originator=org,
            created_by=self.sam,
            title=title,
            subject_kind="programme",
            subject=title,
            audience="all_csos",
            languages=["en"],
            mode="identified",
            status="closed",
        )

    def url(self, pid: int | None = None) -> str:
        return f"/monitoring/projects/{pid or self.pid}/answers"

    def link(self, kind: str, target_id: int, user: Any = None) -> Any:
        return self.api(
            "POST", self.url(), user or self.sam, {"kind": kind, "target_id": target_id}
        )

    def links(self) -> int:
        return CommitmentProject.objects.count() + ThemeProject.objects.count()


class RegistryTests(AnswerTestCase):
    def test_both_capabilities_offer_their_kind(self) -> None:
        kinds = answer_kinds()
        self.assertEqual(set(kinds), {"commitment", "theme"})
        commitment = kinds["commitment"]
        picked = commitment.candidates(self.sam, self.pid)
        self.assertEqual([t.id for t in picked], [self.commitment.pk])  # not the hidden plan's
        self.assertEqual(picked[0].context, "National counter-terrorism action plan 2025-2027")
        self.assertEqual(
            [t.id for t in kinds["theme"].candidates(self.sam, self.pid)], [self.theme.pk]
        )


class ApiTests(AnswerTestCase):
    def test_the_head_links_lists_and_unlinks_with_audit_rows(self) -> None:
        made = self.link("commitment", self.commitment.pk)
        self.assertEqual(made.status_code, 201, made.content)
        self.assertEqual(made.json()["label"], self.commitment.title)
        self.assertEqual(self.link("theme", self.theme.pk).status_code, 201)
        listed = self.ok("GET", self.url(), self.sam, status=200)
        self.assertEqual(listed["count"], 2)
        self.assertEqual(
            [(i["kind"], i["target_id"]) for i in listed["items"]],
            [("commitment", self.commitment.pk), ("theme", self.theme.pk)],
        )
        self.assertIn(f"#commitment-{self.commitment.pk}", listed["items"][0]["url"])
        linked = AuditEvent.objects.filter(action="coordination.commitment_project_linked").get()
        self.assertEqual(linked.detail, {"project": self.pid})
        self.assertEqual(linked.object_id, str(self.commitment.pk))
        self.assertTrue(
            AuditEvent.objects.filter(action="consultations.theme_project_linked").exists()
        )
        # A linked target is no longer offered.
        self.assertEqual(answer_kinds()["commitment"].candidates(self.sam, self.pid), [])
        gone = self.api("DELETE", f"{self.url()}/commitment/{self.commitment.pk}", self.sam)
        self.assertEqual(gone.status_code, 204)
        self.assertEqual(CommitmentProject.objects.count(), 0)
        self.assertTrue(
            AuditEvent.objects.filter(action="coordination.commitment_project_unlinked").exists()
        )
        again = self.api("DELETE", f"{self.url()}/commitment/{self.commitment.pk}", self.sam)
        self.assertEqual(again.status_code, 404)
        self.assertEqual(
            self.api("DELETE", f"{self.url()}/theme/{self.theme.pk}", self.sam).status_code, 204
        )

    def test_a_duplicate_is_409_and_writes_nothing_more(self) -> None:
        self.assertEqual(self.link("theme", self.theme.pk).status_code, 201)
        second = self.link("theme", self.theme.pk)
        self.assertEqual(second.status_code, 409)
        self.assertEqual(second.json()["detail"], "This project already answers this theme.")
        written = AuditEvent.objects.filter(action__contains="_project_").count()
        self.assertEqual((self.links(), written), (1, 1))

    def test_refusals_write_nothing(self) -> None:
        anonymous = self.api("POST", self.url(), None, {"kind": "theme", "target_id": 1})
        self.assertEqual(anonymous.status_code, 401)
        self.assertEqual(self.api("GET", self.url(), None).status_code, 401)
        # France sees neither the project nor, so, its answers: 404 as for a missing project.
        self.assertEqual(self.api("GET", self.url(), self.alice).status_code, 404)
        self.assertEqual(self.link("commitment", self.commitment.pk, self.alice).status_code, 404)
        self.assertEqual(self.api("GET", self.url(987654), self.sam).status_code, 404)
        # Kenya reads the project (a partner) but may not change what it answers: 403.
        self.assertEqual(self.api("GET", self.url(), self.charlie).status_code, 200)
        refused = self.link("commitment", self.commitment.pk, self.charlie)
        self.assertEqual(refused.status_code, 403)
        # A kind nobody offers: 400 naming the known kinds.
        bad = self.link("milestone", self.commitment.pk)
        self.assertEqual(bad.status_code, 400)
        self.assertIn("commitment, theme", bad.json()["detail"])
        self.assertEqual(self.link("commitment", "x").status_code, 422)
        # A target UNOCT may not read, and one that does not exist, are both 404.
        self.assertEqual(self.link("commitment", self.hidden_commitment.pk).status_code, 404)
        self.assertEqual(self.link("commitment", 987654).status_code, 404)
        self.assertEqual(self.link("theme", self.hidden_theme.pk).status_code, 404)
        self.assertEqual(self.links(), 0)
        self.assertFalse(AuditEvent.objects.filter(action__contains="_project_").exists())
        # Removing: the same refusals.
        self.link("theme", self.theme.pk)
        path = f"{self.url()}/theme/{self.theme.pk}"
        self.assertEqual(self.api("DELETE", path, None).status_code, 401)
        self.assertEqual(self.api("DELETE", path, self.alice).status_code, 404)
        self.assertEqual(self.api("DELETE", path, self.charlie).status_code, 403)
        self.assertEqual(
            self.api("DELETE", f"{self.url()}/milestone/{self.theme.pk}", self.sam).status_code,
            404,
        )
        self.assertEqual(self.links(), 1)

    def test_a_reader_sees_only_the_targets_they_may_read(self) -> None:
        self.link("commitment", self.commitment.pk)
        self.link("theme", self.theme.pk)
        # charlie reads France's network plan but not UNOCT's consultation themes.
        listed = self.ok("GET", self.url(), self.charlie, status=200)
        self.assertEqual([i["kind"] for i in listed["items"]], ["commitment"])

    def test_a_theme_is_readable_once_published_or_by_its_unit(self) -> None:
        kind = answer_kinds()["theme"]
        self.assertEqual(kind.candidates(self.charlie, self.pid), [])
        self.assertEqual(kind.candidates(self.cso, self.pid), [])
        self.consultation.status = "published"
        self.consultation.save()
        self.assertEqual([t.id for t in kind.candidates(self.cso, self.pid)], [self.theme.pk])


class PageTests(AnswerTestCase):
    def page(self) -> str:
        return f"/monitoring/projects/{self.pid}/answers/"

    def test_the_head_links_and_removes_through_the_page(self) -> None:
        self.login(self.sam)
        project = self.client.get(f"/monitoring/projects/{self.pid}/")
        self.assertContains(project, self.page())
        page = self.client.get(self.page())
        self.assertContains(page, 'id="link-commitment"')
        self.assertContains(page, f'<option value="{self.commitment.pk}">')
        self.assertNotContains(page, f'<option value="{self.hidden_commitment.pk}">')
        done = self.client.post(
            self.page(), {"kind": "commitment", "target_id": self.commitment.pk}
        )
        self.assertRedirects(done, self.page())
        page = self.client.get(self.page())
        self.assertContains(page, f"#commitment-{self.commitment.pk}")
        self.assertContains(page, f"{self.page()}commitment/{self.commitment.pk}/remove/")
        twice = self.client.post(
            self.page(), {"kind": "commitment", "target_id": self.commitment.pk}
        )
        self.assertContains(twice, "already answers", status_code=409)
        removed = self.client.post(f"{self.page()}commitment/{self.commitment.pk}/remove/")
        self.assertRedirects(removed, self.page())
        self.assertEqual(self.links(), 0)
        self.assertEqual(self.client.get(f"{self.page()}commitment/1/remove/").status_code, 405)

    def test_page_refusals_write_nothing(self) -> None:
        anonymous = self.client.get(self.page())
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/login/", anonymous["Location"])
        self.login(self.alice)
        self.assertEqual(self.client.get(self.page()).status_code, 404)
        self.client.logout()
        self.login(self.charlie)
        page = self.client.get(self.page())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'id="link-commitment"')
        posted = {"kind": "commitment", "target_id": self.commitment.pk}
        self.assertEqual(self.client.post(self.page(), posted).status_code, 403)
        self.client.logout()
        self.login(self.sam, self.client)
        self.client.post("/i18n/setlang/", {"language": "fr"})
        bad = self.client.post(self.page(), {"kind": "milestone", "target_id": 1})
        self.assertContains(bad, "Type de réponse inconnu", status_code=400)
        empty = self.client.post(self.page(), {"kind": "theme", "target_id": ""})
        self.assertEqual(empty.status_code, 400)
        hidden = {"kind": "commitment", "target_id": self.hidden_commitment.pk}
        self.assertEqual(self.client.post(self.page(), hidden).status_code, 404)
        self.assertEqual(self.links(), 0)

    def test_arabic_page_is_right_to_left(self) -> None:
        self.link("theme", self.theme.pk)
        self.login(self.sam)
        self.client.post("/i18n/setlang/", {"language": "ar"})
        page = self.client.get(self.page())
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, 'dir="auto">Youth work</a>')


class OtherSidesTests(AnswerTestCase):
    def test_the_plan_page_lists_the_projects_its_reader_may_see(self) -> None:
        self.link("commitment", self.commitment.pk)
        plan_page = f"/coordination/plans/{self.commitment.plan_id}/"
        self.login(self.charlie)  # a partner of the AMBER project
        self.assertContains(self.client.get(plan_page), f"/monitoring/projects/{self.pid}/")
        self.client.logout()
        self.login(self.alice)  # the plan's owner, who may not see the project
        page = self.client.get(plan_page)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, f"/monitoring/projects/{self.pid}/")
        self.assertNotContains(page, self.project["title"])

    def test_the_consultation_page_lists_the_projects_answering_a_theme(self) -> None:
        self.link("theme", self.theme.pk)
        self.login(self.sam)
        page = self.client.get(f"/consultations/{self.consultation.pk}/")
        self.assertContains(page, f'id="theme-{self.theme.pk}"')
        self.assertContains(page, f"/monitoring/projects/{self.pid}/")
        self.client.logout()
        # Once published, civil society reads the theme but not the AMBER project.
        self.consultation.status = "published"
        self.consultation.save()
        self.login(self.cso)
        page = self.client.get(f"/consultations/{self.consultation.pk}/")
        self.assertContains(page, "Youth work")
        self.assertNotContains(page, f"/monitoring/projects/{self.pid}/")

    def test_the_printable_reports_list_the_projects_their_reader_may_see(self) -> None:
        self.link("commitment", self.commitment.pk)
        self.link("theme", self.theme.pk)
        title = self.project["title"]
        report = f"/coordination/plans/{self.commitment.plan_id}/report/"
        self.login(self.charlie)  # a partner of the AMBER project
        self.assertContains(self.client.get(report), f"<bdi>{title}</bdi>")
        self.client.logout()
        self.login(self.alice)  # the plan's owner, who may not see the project
        page = self.client.get(report)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, title)
        self.client.logout()
        synthesis = f"/consultations/{self.consultation.pk}/report/"
        self.login(self.sam)
        self.assertContains(self.client.get(synthesis), f"/monitoring/projects/{self.pid}/")
        self.client.logout()
        self.consultation.status = "published"
        self.consultation.save()
        self.login(self.cso)
        page = self.client.get(synthesis)
        self.assertContains(page, "Youth work")
        self.assertNotContains(page, title)

    def test_a_deleted_project_takes_its_links_along(self) -> None:
        from ctnet.monitoring.models import Project

        self.link("commitment", self.commitment.pk)
        self.link("theme", self.theme.pk)
        Project.objects.filter(pk=self.pid).delete()
        self.assertEqual(self.links(), 0)
