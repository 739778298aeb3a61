"""The working groups' forms: setting a group up, the programme, meetings, follow-ups and their
statuses through the pages; who is offered which form, who is refused, and that a refused or
wrong form writes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from ctnet.coordination.models import Decision, FollowUp, GroupMeeting, WorkingGroup, WorkItem
from ctnet.core.models import AuditEvent, Notification, OrgKind, Role, User
from ctnet.testing.base import CtnetTestCase, make_org, make_person


class GroupPageTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.interpol = make_org("INTERPOL", OrgKind.INTERNATIONAL)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)
        cls.ivan = make_person("ivan", cls.interpol, Role.ENTITY_FOCAL_POINT)

    def setUp(self) -> None:
        super().setUp()
        self.clients: dict[str, Client] = {}

    def as_(self, person: User) -> Client:
        """One signed-in client per person and test (a second factor's code is used once)."""
        if person.username not in self.clients:
            self.clients[person.username] = self.login(person, Client())
        return self.clients[person.username]

    def set_up_group(self) -> WorkingGroup:
        client = self.as_(self.sam)
        form = client.get("/coordination/groups/new/")
        self.assertEqual(form.status_code, 200)
        self.assertContains(form, 'name="members"')
        response = client.post(
            "/coordination/groups/new/",
            {
                "name": "Border Management and Law Enforcement",
                "mandate": "Coherent support to states on border security.",
                "members": [self.unodc.pk, self.interpol.pk, self.unoct.pk],
                "chairs": [self.unodc.pk],
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        group = WorkingGroup.objects.get()
        self.assertEqual(response["Location"], f"/coordination/groups/{group.pk}/")
        return group

    def test_the_secretariat_sets_up_a_group_and_the_chair_records_its_work(self) -> None:
        group = self.set_up_group()
        self.assertTrue(AuditEvent.objects.filter(action="coordination.group_created").exists())
        self.assertContains(self.as_(self.sam).get("/coordination/groups/"), "Set up a working")
        chair = self.as_(self.ursula)
        page = chair.get(f"/coordination/groups/{group.pk}/")
        self.assertContains(page, "Record a meeting")
        self.assertContains(page, "Add to the programme")
        base = f"/coordination/groups/{group.pk}"
        response = chair.post(
            f"{base}/work-items/",
            {"title": "Guidance on API/PNR", "owner": self.interpol.pk, "due_date": "2030-06-30"},
        )
        self.assertEqual(response.status_code, 302)
        item = WorkItem.objects.get()
        self.assertEqual((item.owner, item.title), (self.interpol, "Guidance on API/PNR"))
        held = timezone.localdate() - timedelta(days=20)
        response = chair.post(
            f"{base}/meetings/",
            {
                "held_on": held.isoformat(),
                "agenda": "1. Watch lists",
                "minutes": "Reviewed the guidance.",
                "decisions": "Update the compendium.\n\nConvene a regional workshop.\n",
            },
        )
        self.assertEqual(response.status_code, 302)
        meeting = GroupMeeting.objects.get()
        self.assertEqual(
            list(meeting.decisions.values_list("text", flat=True)),
            ["Update the compendium.", "Convene a regional workshop."],
        )
        decision = meeting.decisions.first()
        assert decision is not None
        with self.captureOnCommitCallbacks(execute=True):
            response = chair.post(
                f"/coordination/decisions/{decision.pk}/follow-ups/",
                {
                    "title": "Draft the update",
                    "responsible": self.interpol.pk,
                    "due_date": (held + timedelta(days=10)).isoformat(),
                },
            )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].endswith(f"#decision-{decision.pk}"))
        follow_up = FollowUp.objects.get()
        self.assertTrue(AuditEvent.objects.filter(action="coordination.follow_up_added").exists())
        self.assertEqual(
            list(
                Notification.objects.filter(kind="coordination.follow_up_assigned").values_list(
                    "recipient__username", flat=True
                )
            ),
            ["ivan"],
        )
        self.responsible_entity_reports(group, item, follow_up)

    def responsible_entity_reports(
        self, group: WorkingGroup, item: WorkItem, follow_up: FollowUp
    ) -> None:
        # The responsible entity sees a status form for its own follow-up and item only.
        own = self.as_(self.ivan)
        page = own.get(f"/coordination/groups/{group.pk}/")
        self.assertContains(page, f'action="/coordination/follow-ups/{follow_up.pk}/status/"')
        self.assertContains(page, f'action="/coordination/work-items/{item.pk}/status/"')
        self.assertNotContains(page, "Record a meeting")
        with self.captureOnCommitCallbacks(execute=True):
            response = own.post(
                f"/coordination/follow-ups/{follow_up.pk}/status/", {"status": "done"}
            )
        self.assertEqual(response.status_code, 302)
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, "done")
        # The chairs hear that a responsible entity closed an action.
        self.assertEqual(
            list(
                Notification.objects.filter(kind="coordination.follow_up_reported").values_list(
                    "recipient__username", flat=True
                )
            ),
            ["ursula"],
        )
        response = own.post(
            f"/coordination/work-items/{item.pk}/status/", {"status": "in_progress"}
        )
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual(item.status, "in_progress")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="coordination.work_item_status", detail__to="in_progress"
            ).exists()
        )

    def test_refusals_and_bad_forms_write_nothing(self) -> None:
        # Setting up: the secretariat only; chairs among the members.
        for person in (self.ursula, self.alice, self.cso):
            self.assertEqual(self.as_(person).get("/coordination/groups/new/").status_code, 403)
        bad = self.as_(self.sam).post(
            "/coordination/groups/new/",
            {"name": "G", "members": [self.unodc.pk], "chairs": [self.interpol.pk]},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Chairs must be members", status_code=400)
        # A state is not offered as a member: the picker's choices are entities.
        bad = self.as_(self.sam).post(
            "/coordination/groups/new/",
            {"name": "G", "members": [self.state_a.pk], "chairs": [self.state_a.pk]},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(WorkingGroup.objects.exists())
        group = self.set_up_group()
        base = f"/coordination/groups/{group.pk}"
        item = {"title": "Guidance", "owner": self.interpol.pk, "due_date": "2030-06-30"}
        # A member that does not chair, a state, civil society: 403, 403, 404.
        self.assertEqual(self.as_(self.ivan).post(f"{base}/work-items/", item).status_code, 403)
        self.assertEqual(self.as_(self.alice).post(f"{base}/work-items/", item).status_code, 403)
        self.assertEqual(self.as_(self.cso).post(f"{base}/work-items/", item).status_code, 404)
        self.assertEqual(
            self.as_(self.alice).post("/coordination/groups/999999/work-items/", item).status_code,
            404,
        )
        # An owner outside the group, a meeting without an agenda: 400 with the message.
        chair = self.as_(self.ursula)
        bad = chair.post(f"{base}/work-items/", {**item, "owner": self.state_a.pk})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, 'id="form-error"', status_code=400)
        bad = chair.post(f"{base}/meetings/", {"held_on": "2026-01-10", "agenda": ""})
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(WorkItem.objects.exists())
        self.assertFalse(GroupMeeting.objects.exists())
        chair.post(
            f"{base}/meetings/",
            {"held_on": "2026-01-10", "agenda": "Programme", "decisions": "Draft guidance"},
        )
        decision = Decision.objects.get()
        path = f"/coordination/decisions/{decision.pk}/follow-ups/"
        early = {"title": "Draft", "responsible": self.unodc.pk, "due_date": "2025-12-31"}
        bad = chair.post(path, early)
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "due after the meeting", status_code=400)
        ok = {**early, "due_date": "2026-03-01"}
        self.assertEqual(self.as_(self.ivan).post(path, ok).status_code, 403)
        self.assertEqual(self.as_(self.cso).post(path, ok).status_code, 404)
        self.assertFalse(FollowUp.objects.exists())
        # Statuses: another entity's follow-up 403; a status outside the scale 400.
        chair.post(path, ok)
        follow_up = FollowUp.objects.get()
        status = f"/coordination/follow-ups/{follow_up.pk}/status/"
        self.assertEqual(self.as_(self.ivan).post(status, {"status": "done"}).status_code, 403)
        self.assertEqual(chair.post(status, {"status": "finished"}).status_code, 400)
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, "planned")
        self.assertFalse(AuditEvent.objects.filter(action="coordination.follow_up_status").exists())
        # Anonymous: to the sign-in page; a GET on a form's address: 405.
        response = self.client.post(status, {"status": "done"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.assertEqual(chair.get(status).status_code, 405)

    def test_the_secretariat_changes_members_and_chairs(self) -> None:
        group = self.set_up_group()
        url = f"/coordination/groups/{group.pk}/edit/"
        self.assertEqual(self.as_(self.ursula).get(url).status_code, 403)  # a chair
        self.assertEqual(self.as_(self.cso).get(url).status_code, 404)
        secretariat = self.as_(self.sam)
        self.assertContains(secretariat.get(f"/coordination/groups/{group.pk}/"), url)
        form = secretariat.get(url)
        self.assertContains(form, "Border Management and Law Enforcement")
        # INTERPOL owns open work: it cannot leave before the work is done or handed over.
        self.as_(self.ursula).post(
            f"/coordination/groups/{group.pk}/work-items/",
            {"title": "Guidance", "owner": self.interpol.pk, "due_date": "2030-06-30"},
        )
        data = {
            "name": "Border Management",
            "mandate": "",
            "members": [self.unodc.pk, self.unoct.pk],
            "chairs": [self.unoct.pk],
        }
        bad = secretariat.post(url, data)
        self.assertContains(bad, "still own open work", status_code=400)
        group.refresh_from_db()
        self.assertEqual(group.members.count(), 3)
        WorkItem.objects.update(status="done")
        response = secretariat.post(url, data)
        self.assertEqual(response.status_code, 302)
        group.refresh_from_db()
        self.assertEqual(group.name, "Border Management")
        self.assertEqual(list(group.chairs.values_list("code", flat=True)), ["UNOCT"])
        self.assertEqual(set(group.members.values_list("code", flat=True)), {"UNODC", "UNOCT"})
        event = AuditEvent.objects.get(action="coordination.group_updated")
        self.assertEqual(event.detail["chairs"], [["UNODC"], ["UNOCT"]])
        # UNODC no longer chairs: its people no longer run the group.
        page = self.as_(self.ursula).get(f"/coordination/groups/{group.pk}/")
        self.assertNotContains(page, "Record a meeting")

    def test_meeting_documents_are_checked_stored_and_served_to_readers_only(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from ctnet.coordination.models import MeetingDocument

        group = self.set_up_group()
        chair = self.as_(self.ursula)
        chair.post(
            f"/coordination/groups/{group.pk}/meetings/",
            {"held_on": "2026-01-10", "agenda": "Programme"},
        )
        meeting = GroupMeeting.objects.get()
        path = f"/coordination/meetings/{meeting.pk}/documents/"
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        # Content decides, not the name: an executable named .pdf is refused, nothing stored.
        fake = SimpleUploadedFile("note.pdf", b"MZ\x90\x00binary", "application/pdf")
        bad = chair.post(path, {"file": fake})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, 'id="form-error"', status_code=400)
        self.assertFalse(MeetingDocument.objects.exists())
        # A member that does not chair: 403; civil society: 404.
        upload = SimpleUploadedFile("concept-note.pdf", pdf, "application/pdf")
        self.assertEqual(self.as_(self.ivan).post(path, {"file": upload}).status_code, 403)
        upload.seek(0)
        self.assertEqual(self.as_(self.cso).post(path, {"file": upload}).status_code, 404)
        upload.seek(0)
        response = chair.post(path, {"file": upload})
        self.assertEqual(response.status_code, 302)
        document = MeetingDocument.objects.get()
        self.assertEqual((document.filename, document.size), ("concept-note.pdf", len(pdf)))
        self.assertTrue(
            AuditEvent.objects.filter(action="coordination.meeting_document_added").exists()
        )
        # Readers of the group download it; the page links it; civil society gets 404.
        page = self.as_(self.alice).get(f"/coordination/groups/{group.pk}/")
        self.assertContains(page, f'href="/coordination/documents/{document.pk}/"')
        self.assertNotContains(page, "Add a document")
        got = self.as_(self.alice).get(f"/coordination/documents/{document.pk}/")
        self.assertEqual(got.status_code, 200)
        self.assertEqual(b"".join(got.streaming_content), pdf)
        self.assertIn("attachment", got["Content-Disposition"])
        self.assertEqual(
            self.as_(self.cso).get(f"/coordination/documents/{document.pk}/").status_code, 404
        )
        api = self.api("GET", f"/coordination/groups/{group.pk}", self.alice).json()
        self.assertEqual(api["meetings"][0]["documents"][0]["filename"], "concept-note.pdf")
