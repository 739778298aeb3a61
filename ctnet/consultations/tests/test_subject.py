"""A consultation on a plan, a programme or a guideline that the platform holds (issue 15):
the link is checked against what the person opening it may see, shown to each reader only where
they may see the thing, and the thing's page lists the consultations on it."""

from __future__ import annotations

from typing import Any

from ctnet.consultations.models import Consultation
from ctnet.consultations.tests.helpers import consultation_data
from ctnet.consultations.tests.test_manage import configure_form
from ctnet.coordination.tests.helpers import plan_data
from ctnet.core.capabilities import subject_kinds
from ctnet.core.models import OrgKind, Role
from ctnet.monitoring.tests.helpers import project_data
from ctnet.practices.tests.helpers import PracticeTestCase
from ctnet.testing.base import CtnetTestCase, make_org, make_person


class SubjectTestCase(CtnetTestCase):
    def setUp(self) -> None:
        super().setUp()
        # Network plans are TLP:GREEN, which reaches civil society only when shared with it.
        self.network_plan = self.plan(visibility="network", title="Network plan 2025-2027")
        self.shared_plan = self.plan(
            visibility="shared",
            shared_with=["CSO-X", "UNOCT"],
            title="Plan shared with civil society",
        )
        # Private to its owner (France) and the secretariat: civil society does not see it.
        self.private_plan = self.plan(visibility="private", title="Private plan 2025-2027")

    def plan(self, **over: Any) -> int:
        response = self.api("POST", "/coordination/plans", self.alice, plan_data(**over))
        assert response.status_code == 201, response.content
        return int(response.json()["id"])

    def create(self, user: Any = None, **over: Any) -> Any:
        return self.api("POST", "/consultations/", user or self.sam, consultation_data(**over))

    def opened(self, **over: Any) -> dict[str, Any]:
        c = self.create(**over).json()
        moved = self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "open"})
        assert moved.status_code == 200, moved.content
        return moved.json()

    def page(self, user: Any, path: str) -> Any:
        self.login(user)
        response = self.client.get(path)
        self.assertEqual(response.status_code, 200, path)
        return response


class LinkingTests(SubjectTestCase):
    def test_every_subject_kind_but_policy_is_offered_by_a_capability(self) -> None:
        # Policies are written outside the platform: they are linked by address only.
        self.assertEqual(set(subject_kinds()), {"action_plan", "programme", "guideline"})

    def test_a_plan_the_unit_sees_is_linked_and_its_title_fills_a_blank_subject(self) -> None:
        response = self.create(subject="", subject_ref=self.network_plan)
        self.assertEqual(response.status_code, 201, response.content)
        c = response.json()
        self.assertEqual(c["subject"], "Network plan 2025-2027")
        self.assertEqual(c["subject_target"]["id"], self.network_plan)
        self.assertEqual(c["subject_target"]["url"], f"/coordination/plans/{self.network_plan}/")
        stored = Consultation.objects.get(pk=c["id"])
        self.assertEqual(
            (stored.subject_kind, stored.subject_ref), ("action_plan", self.network_plan)
        )

    def test_a_programme_is_linked(self) -> None:
        project = self.api("POST", "/monitoring/projects", self.sam, project_data()).json()
        c = self.create(subject_kind="programme", subject_ref=project["id"]).json()
        self.assertEqual(c["subject_target"]["label"], "Border management in East Africa")
        self.assertEqual(c["subject_target"]["url"], f"/monitoring/projects/{project['id']}/")

    def test_a_thing_the_opener_may_not_see_is_refused_like_one_that_does_not_exist(self) -> None:
        unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        focal = make_person("focal", unodc, Role.ENTITY_FOCAL_POINT)
        for ref in (self.private_plan, 999_999):
            response = self.create(focal, subject_ref=ref)
            self.assertEqual(response.status_code, 400, ref)
            self.assertIn(
                f"Action plans: none with the id {ref} that you may see", response.json()["detail"]
            )
        self.assertEqual(Consultation.objects.count(), 0)

    def test_a_reference_of_another_kind_or_to_a_policy_is_refused(self) -> None:
        # The plan's id read as a programme's: no programme of that id is visible.
        response = self.create(subject_kind="programme", subject_ref=self.network_plan)
        self.assertEqual(response.status_code, 400)
        response = self.create(subject_kind="policy", subject_ref=self.network_plan)
        self.assertEqual(response.status_code, 400)
        self.assertIn("give a link to it instead", response.json()["detail"])
        self.assertEqual(Consultation.objects.count(), 0)

    def test_a_blank_subject_without_a_reference_is_still_refused(self) -> None:
        response = self.create(subject="")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Say what is consulted on", response.json()["detail"])


class ReadingTests(SubjectTestCase):
    def test_each_reader_sees_the_link_only_where_they_may_see_the_plan(self) -> None:
        on_private = self.opened(subject_ref=self.private_plan)
        self.assertIsNotNone(on_private["subject_target"])
        as_cso = self.api("GET", f"/consultations/{on_private['id']}", self.cso).json()
        # The subject's text stays; the plan's address and id are not given to civil society.
        self.assertEqual(as_cso["subject"], on_private["subject"])
        self.assertIsNone(as_cso["subject_target"])
        for plan in (self.private_plan, self.network_plan):
            c = self.opened(subject_ref=plan)
            page = self.page(self.cso, f"/consultations/{c['id']}/")
            self.assertNotContains(page, f"/coordination/plans/{plan}/")
        on_shared = self.opened(subject_ref=self.shared_plan)
        page = self.page(self.cso, f"/consultations/{on_shared['id']}/")
        self.assertContains(page, f'href="/coordination/plans/{self.shared_plan}/"')

    def test_the_public_page_never_links_into_the_platform(self) -> None:
        c = self.create(audience="public", subject_ref=self.network_plan, subject="").json()
        token = self.api("POST", f"/consultations/{c['id']}/public-link", self.sam).json()["token"]
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "open"})
        self.client.logout()
        page = self.client.get(f"/consultations/public/{c['id']}/{token}/")
        self.assertContains(page, "Network plan 2025-2027")
        self.assertNotContains(page, "/coordination/")

    def test_the_plan_page_lists_the_consultations_its_reader_may_see(self) -> None:
        opened = self.opened(subject_ref=self.shared_plan, title="Views on the shared plan")
        draft = self.create(subject_ref=self.shared_plan, title="A draft on the plan").json()
        as_cso = self.page(self.cso, f"/coordination/plans/{self.shared_plan}/")
        self.assertContains(as_cso, "Consultations of civil society")
        self.assertContains(as_cso, f'href="/consultations/{opened["id"]}/"')
        # A draft is the unit's alone, on the plan's page too.
        self.assertNotContains(as_cso, f"/consultations/{draft['id']}/")
        as_sam = self.page(self.sam, f"/coordination/plans/{self.shared_plan}/")
        self.assertContains(as_sam, f'href="/consultations/{draft["id"]}/"')
        # A plan nobody consulted on shows no such section.
        other = self.plan(title="Another plan")
        self.assertNotContains(
            self.page(self.sam, f"/coordination/plans/{other}/"), "Consultations of"
        )


class FormTests(SubjectTestCase):
    def test_the_form_offers_what_the_unit_sees_and_refuses_a_kind_that_differs(self) -> None:
        self.login(self.sam)
        page = self.client.get("/consultations/new/")
        self.assertContains(page, f'value="action_plan:{self.network_plan}"')
        ref = f"action_plan:{self.network_plan}"
        response = self.client.post(
            "/consultations/new/", configure_form(subject_kind="programme", subject_ref=ref)
        )
        self.assertContains(response, "This text is of the kind “Action plan”", status_code=400)
        # Not offered to the person: a reference of their own making is not a valid choice.
        response = self.client.post(
            "/consultations/new/", configure_form(subject_ref="action_plan:999")
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Consultation.objects.count(), 0)
        body = configure_form(subject_kind="action_plan", subject="", subject_ref=ref)
        response = self.client.post("/consultations/new/", body)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        stored = Consultation.objects.get()
        self.assertEqual(
            (stored.subject_ref, stored.subject), (self.network_plan, "Network plan 2025-2027")
        )
        edit = self.client.get(f"/consultations/{stored.pk}/edit/")
        self.assertContains(edit, f'value="{ref}" selected')


class OtherSubjectsTests(SubjectTestCase, PracticeTestCase):
    def test_the_project_page_lists_the_consultations_on_it(self) -> None:
        project = self.api("POST", "/monitoring/projects", self.sam, project_data()).json()
        c = self.opened(subject_kind="programme", subject_ref=project["id"], title="On borders")
        page = self.page(self.sam, f"/monitoring/projects/{project['id']}/")
        self.assertContains(page, "Consultations of civil society")
        self.assertContains(page, f'href="/consultations/{c["id"]}/"')

    def test_a_guideline_is_a_published_practice_and_its_page_lists_the_consultation(self) -> None:
        draft = self.write(self.alice, "Guideline on civic space", "Draft guidance.", tlp="GREEN")
        # A draft may still change under the consultation: not offered, and refused.
        response = self.create(subject_kind="guideline", subject_ref=draft.pk)
        self.assertEqual(response.status_code, 400)
        self.publish(draft, self.alice, self.sam)
        c = self.opened(subject_kind="guideline", subject_ref=draft.pk, subject="")
        self.assertEqual(c["subject"], "Guideline on civic space")
        page = self.page(self.sam, f"/practices/{draft.pk}/")
        self.assertContains(page, f'href="/consultations/{c["id"]}/"')
