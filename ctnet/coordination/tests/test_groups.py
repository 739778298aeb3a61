"""The Compact's working groups: members and chairs, programme of work, meetings with decisions
and follow-ups, the late list, an entity's page; refusals write nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ctnet.coordination import waiting
from ctnet.coordination.models import FollowUp, GroupMeeting, WorkingGroup
from ctnet.core.models import AuditEvent, Notification, OrgKind, Role
from ctnet.testing.base import CtnetTestCase, make_org, make_person

GROUP = {
    "name": "Border Management and Law Enforcement relating to Counter-Terrorism",
    "mandate": "Coherent support to states on border security.",
    "members": ["UNOCT", "UNODC", "INTERPOL"],
    "chairs": ["UNODC"],
}


class WorkingGroupTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        cls.interpol = make_org("INTERPOL", OrgKind.INTERNATIONAL)
        cls.ursula = make_person("ursula", cls.unodc, Role.ENTITY_FOCAL_POINT)
        cls.ivan = make_person("ivan", cls.interpol, Role.ENTITY_FOCAL_POINT)

    def make_group(self) -> dict:
        response = self.api("POST", "/coordination/groups", self.sam, GROUP)
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()

    def meeting(self, group_id: int, user=None, **over) -> object:
        today = timezone.localdate()
        data = {
            "held_on": str(today - timedelta(days=40)),
            "agenda": "1. Watch lists\n2. Biometrics",
            "minutes": "The group reviewed the guidance on watch lists.",
            "decisions": [
                {
                    "text": "Update the compendium of biometrics practice.",
                    "follow_ups": [
                        {
                            "title": "Draft the update",
                            "responsible": "INTERPOL",
                            "due_date": str(today - timedelta(days=5)),
                        },
                        {
                            "title": "Circulate to states",
                            "responsible": "UNODC",
                            "due_date": str(today + timedelta(days=30)),
                        },
                    ],
                }
            ],
        }
        data.update(over)
        return self.api(
            "POST", f"/coordination/groups/{group_id}/meetings", user or self.ursula, data
        )

    def test_group_meeting_decision_and_follow_ups(self) -> None:
        group = self.make_group()
        self.assertEqual(group["chairs"], ["UNODC"])
        self.assertEqual(group["members"], ["INTERPOL", "UNOCT", "UNODC"])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.meeting(group["id"])
        self.assertEqual(response.status_code, 201, response.content)
        (meeting,) = response.json()["meetings"]
        (decision,) = meeting["decisions"]
        late, later = decision["follow_ups"]
        self.assertEqual((late["responsible"], late["late"]), ("INTERPOL", True))
        self.assertFalse(later["late"])
        # The entities a decision assigns an action are told, each once.
        self.assertEqual(
            set(
                Notification.objects.filter(kind="coordination.follow_up_assigned").values_list(
                    "recipient__username", flat=True
                )
            ),
            {"ivan", "ursula"},
        )
        self.assertTrue(AuditEvent.objects.filter(action="coordination.meeting_recorded").exists())
        # The late list and the waiting count of the responsible entity.
        body = self.api("GET", "/coordination/follow-ups/late", self.charlie).json()
        self.assertEqual([f["id"] for f in body["items"]], [late["id"]])
        self.assertEqual(waiting.own_follow_ups_late(self.ivan).count(), 1)
        self.assertEqual(waiting.own_follow_ups_late(self.ursula).count(), 0)
        # The responsible entity reports it done; it leaves the late list.
        path = f"/coordination/follow-ups/{late['id']}/status"
        self.assertEqual(self.api("POST", path, self.charlie, {"status": "done"}).status_code, 403)
        response = self.api("POST", path, self.ivan, {"status": "done"})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(waiting.own_follow_ups_late(self.ivan).count(), 0)
        self.assertTrue(AuditEvent.objects.filter(action="coordination.follow_up_status").exists())

    def test_programme_and_entity_page(self) -> None:
        group = self.make_group()
        item = {"title": "Guidance on API/PNR", "owner": "INTERPOL", "due_date": "2030-06-30"}
        path = f"/coordination/groups/{group['id']}/work-items"
        self.assertEqual(self.api("POST", path, self.ivan, item).status_code, 403)  # not a chair
        self.assertEqual(self.api("POST", path, self.ursula, item).status_code, 201)
        self.meeting(group["id"])
        body = self.api("GET", "/coordination/entities/interpol", self.alice).json()
        self.assertEqual(body["chairs"], [])
        self.assertEqual([g["id"] for g in body["member_of"]], [group["id"]])
        self.assertEqual([i["title"] for i in body["work_items"]], ["Guidance on API/PNR"])
        self.assertEqual([f["title"] for f in body["follow_ups"]], ["Draft the update"])
        chair = self.api("GET", "/coordination/entities/UNODC", self.alice).json()
        self.assertEqual([g["id"] for g in chair["chairs"]], [group["id"]])
        # The pages show the same.
        client = self.login(self.alice)
        page = client.get("/coordination/entities/INTERPOL/")
        self.assertContains(page, "Draft the update")
        self.assertContains(page, "Guidance on API/PNR")
        page = client.get(f"/coordination/groups/{group['id']}/")
        self.assertContains(page, "Update the compendium of biometrics practice.")
        self.assertContains(page, "The group reviewed the guidance on watch lists.")
        self.assertContains(client.get("/coordination/follow-ups/late/"), "Draft the update")
        self.assertContains(client.get("/coordination/groups/"), GROUP["name"])

    def test_refusals_write_nothing(self) -> None:
        # Only the secretariat sets a group up; chairs are members; members are entities.
        self.assertEqual(
            self.api("POST", "/coordination/groups", self.ursula, GROUP).status_code, 403
        )
        bad = self.api("POST", "/coordination/groups", self.sam, {**GROUP, "chairs": ["FRA"]})
        self.assertEqual(bad.status_code, 400)
        self.assertIn("Chairs must be members", bad.json()["detail"])
        bad = self.api(
            "POST", "/coordination/groups", self.sam, {**GROUP, "members": ["UNODC", "FRA"]}
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("Not Compact entities: FRA", bad.json()["detail"])
        self.assertFalse(WorkingGroup.objects.exists())
        self.assertEqual(self.api("POST", "/coordination/groups", None, GROUP).status_code, 401)
        group = self.make_group()
        # A name that differs only in case: refused by the service, and by the index if two
        # people set groups up at once.
        same = self.api(
            "POST", "/coordination/groups", self.sam, {**GROUP, "name": GROUP["name"].upper()}
        )
        self.assertEqual(same.status_code, 400)
        self.assertIn("exists already", same.json()["detail"])
        with self.assertRaises(IntegrityError), transaction.atomic():
            WorkingGroup.objects.create(name=GROUP["name"].lower(), created_by=self.sam)
        # A follow-up for a non-member, or due before the meeting: nothing of the meeting kept.
        bad = self.meeting(
            group["id"],
            decisions=[
                {
                    "text": "x",
                    "follow_ups": [{"title": "y", "responsible": "KEN", "due_date": "2030-01-01"}],
                }
            ],
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("not members: KEN", bad.json()["detail"])
        bad = self.meeting(
            group["id"],
            decisions=[
                {
                    "text": "x",
                    "follow_ups": [
                        {"title": "y", "responsible": "UNODC", "due_date": "2000-01-01"}
                    ],
                }
            ],
        )
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(GroupMeeting.objects.exists())
        self.assertEqual(self.meeting(group["id"], user=self.ivan).status_code, 403)
        # Civil society and oversight do not read the groups: 404 for a group, 403 for lists.
        self.assertEqual(
            self.api("GET", f"/coordination/groups/{group['id']}", self.cso).status_code, 404
        )
        self.assertEqual(self.api("GET", "/coordination/groups", self.olga).status_code, 403)
        self.assertEqual(
            self.api("GET", "/coordination/groups/999999", self.alice).status_code, 404
        )
        # A status outside the scale.
        self.meeting(group["id"])
        follow_up = FollowUp.objects.get(responsible=self.interpol)
        path = f"/coordination/follow-ups/{follow_up.pk}/status"
        bad = self.api("POST", path, self.ivan, {"status": "finished"})
        self.assertEqual(bad.status_code, 400)
        follow_up.refresh_from_db()
        self.assertEqual(follow_up.status, "planned")
        # Pages: anonymous to the login, civil society refused.
        page = self.client.get(f"/coordination/groups/{group['id']}/")
        self.assertEqual(page.status_code, 302)
        self.assertIn("/login/", page["Location"])
        self.assertEqual(self.login(self.cso).get("/coordination/groups/").status_code, 403)
        # ... and not offered the link it would be refused (coordination's sub-menu).
        plans = self.login(self.cso).get("/coordination/")
        self.assertEqual(plans.status_code, 200)
        self.assertNotContains(plans, 'href="/coordination/groups/"')
        self.assertContains(
            self.login(self.alice).get("/coordination/"), 'href="/coordination/groups/"'
        )
        self.assertEqual(self.login(self.alice).post("/coordination/groups/").status_code, 405)
