"""The unit's management pages: configure (and edit a draft), themes, responses, moderation;
each with its refusals (anonymous, outsider 404, participant 403, bad input 4xx with nothing
written), right to left in Arabic, and no sender shown for an anonymous input."""

from __future__ import annotations

import re
from typing import Any

from ctnet.consultations.models import Consultation, Question, Status, Submission, Theme
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import AuditEvent, Role
from ctnet.testing.base import make_person


def configure_form(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Prevention in schools",
        "description": "",
        "subject_kind": "programme",
        "subject": "Schools programme 2027",
        "subject_link": "https://example.org/schools",
        "audience": "all_csos",
        "region": "",
        "mode": "pseudonymous",
        "languages": ["ar", "en"],
        "closes_at": "",
        "q-TOTAL_FORMS": "3",
        "q-INITIAL_FORMS": "0",
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
        "q-0-kind": "text",
        "q-0-text": "What should the programme change?",
        "q-0-required": "on",
        "q-1-kind": "single",
        "q-1-text": "Is it clear?",
        "q-1-choices": "Yes\nNo",
        "q-2-kind": "statement",
        "q-2-text": "",
    }
    data.update(over)
    return data


class ConfigurePageTests(ConsultationTestCase):
    def test_the_unit_creates_a_draft_and_edits_it_in_arabic(self) -> None:
        self.login(self.sam)
        self.client.post("/i18n/setlang/", {"language": "ar"})
        page = self.client.get("/consultations/new/")
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, "configure-form")
        sent = self.client.post("/consultations/new/", configure_form())
        self.assertEqual(sent.status_code, 302, sent.content.decode()[:3000])
        c = Consultation.objects.get()
        self.assertEqual((c.status, c.mode, c.languages), ("draft", "pseudonymous", ["ar", "en"]))
        self.assertEqual(
            [(q.kind, q.text, q.choices) for q in c.questions.all()],
            [
                ("text", "What should the programme change?", []),
                ("single", "Is it clear?", ["Yes", "No"]),
            ],
        )
        # The detail page links to the management pages, for the unit only.
        detail = self.client.get(f"/consultations/{c.pk}/")
        self.assertContains(detail, f"/consultations/{c.pk}/edit/")
        edit = self.client.get(f"/consultations/{c.pk}/edit/")
        self.assertContains(edit, 'dir="rtl"')
        self.assertContains(edit, "Is it clear?")
        body = configure_form(
            title="Prevention in schools and online",
            **{"q-1-text": "", "q-2-text": "Teachers need training.", "q-2-kind": "statement"},
        )
        self.assertEqual(self.client.post(f"/consultations/{c.pk}/edit/", body).status_code, 302)
        c.refresh_from_db()
        self.assertEqual(c.title, "Prevention in schools and online")
        self.assertEqual([q.kind for q in c.questions.all()], ["text", "statement"])
        self.assertTrue(AuditEvent.objects.filter(action="consultations.updated").exists())
        # Once open, it is no longer edited.
        self.client.post(f"/consultations/{c.pk}/move/", {"to": "open"})
        self.assertEqual(self.client.get(f"/consultations/{c.pk}/edit/").status_code, 409)
        again = self.client.post(f"/consultations/{c.pk}/edit/", configure_form(title="X"))
        self.assertEqual(again.status_code, 409)
        c.refresh_from_db()
        self.assertEqual(c.title, "Prevention in schools and online")

    def test_an_anonymous_consultation_with_a_unique_field_is_a_form_error(self) -> None:
        self.login(self.sam)
        body = configure_form(
            mode="anonymous",
            **{"q-0-text": "Your registration number", "q-0-unique_answer": "on"},
        )
        page = self.client.post("/consultations/new/", body)
        self.assertEqual(page.status_code, 400)
        self.assertContains(page, "would identify them", status_code=400)
        self.assertContains(page, 'role="alert"', status_code=400)
        # What was typed is still in the form.
        self.assertContains(page, "Your registration number", status_code=400)
        self.assertEqual(Consultation.objects.count() + Question.objects.count(), 0)

    def test_bad_input_writes_nothing(self) -> None:
        self.login(self.sam)
        for body in (
            configure_form(title=""),
            configure_form(languages=["xx"]),
            configure_form(audience="named"),  # no organisation named
            configure_form(audience="region", region=""),
            configure_form(**{"q-0-text": "", "q-1-text": ""}),  # no question
            configure_form(**{"q-1-choices": "Only one"}),
            configure_form(**{"q-TOTAL_FORMS": "x"}),
        ):
            page = self.client.post("/consultations/new/", body)
            self.assertEqual(page.status_code, 400, body)
            self.assertContains(page, 'class="error"', status_code=400)
        self.assertEqual(Consultation.objects.count(), 0)

    def test_named_organisations_through_the_picker(self) -> None:
        self.login(self.sam)
        body = configure_form(audience="named", named_orgs=[str(self.cso_org.pk)])
        self.assertEqual(self.client.post("/consultations/new/", body).status_code, 302)
        self.assertEqual(
            list(Consultation.objects.get().named_orgs.values_list("code", flat=True)), ["CSO-X"]
        )
        # A state is not a civil-society organisation: not offered, refused.
        body = configure_form(audience="named", named_orgs=[str(self.state_a.pk)])
        self.assertEqual(self.client.post("/consultations/new/", body).status_code, 400)

    def test_who_may_configure(self) -> None:
        anonymous = self.client_class().get("/consultations/new/")
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/login/", anonymous["Location"])
        for user in (self.cso, self.alice, self.olga):
            client = self.login(user, self.client_class())
            self.assertEqual(client.get("/consultations/new/").status_code, 403, user)
            self.assertEqual(client.post("/consultations/new/", configure_form()).status_code, 403)
        c = self.create()
        # A draft is the unit's alone: the participant does not know it exists.
        cso = self.login(self.cso, self.client_class())
        self.assertEqual(cso.get(f"/consultations/{c['id']}/edit/").status_code, 404)
        self.assertEqual(Consultation.objects.count(), 1)
        # The list offers the form to those who may open consultations only.
        self.assertNotContains(cso.get("/consultations/"), "/consultations/new/")
        sam = self.login(self.sam, self.client_class())
        self.assertContains(sam.get("/consultations/"), "/consultations/new/")


class SynthesisPageTests(ConsultationTestCase):
    def closed(self, mode: str = "identified", n: int = 3) -> dict[str, Any]:
        c = self.open(mode=mode)
        for i in range(n):
            member = make_person(f"m{i}", self.cso_org, Role.CSO_MEMBER, otp=False)
            self.send(c, member, answers=self.answers(c, f"Input number {i}"))
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        return c

    def ids(self, c: dict[str, Any]) -> list[str]:
        return [
            str(pk)
            for pk in Submission.objects.filter(consultation_id=c["id"]).values_list(
                "pk", flat=True
            )
        ]

    def test_group_rename_merge_and_assign(self) -> None:
        c = self.closed()
        url = f"/consultations/{c['id']}"
        self.login(self.sam)
        page = self.client.get(f"{url}/themes/")
        self.assertContains(page, "Input number 2")
        self.assertContains(page, "inputs-form")
        a, b, d = self.ids(c)
        new = self.client.post(f"{url}/themes/new/", {"title": "Youth", "inputs": [a, b]})
        self.assertEqual(new.status_code, 302)
        youth = Theme.objects.get(title="Youth")
        self.client.post(f"{url}/themes/new/", {"title": "Schools", "inputs": [d]})
        schools = Theme.objects.get(title="Schools")
        rename = self.client.post(
            f"/consultations/themes/{youth.pk}/rename/", {"title": "Youth work"}
        )
        self.assertEqual(rename.status_code, 302)
        youth.refresh_from_db()
        self.assertEqual(youth.title, "Youth work")
        merge = self.client.post(f"{url}/themes/merge/", {"into": youth.pk, "themes": [schools.pk]})
        self.assertEqual(merge.status_code, 302)
        self.assertEqual(list(Theme.objects.values_list("title", flat=True)), ["Youth work"])
        self.assertEqual(Submission.objects.filter(theme=youth).count(), 3)
        self.client.post(f"{url}/themes/new/", {"title": "Online", "inputs": []})
        online = Theme.objects.get(title="Online")
        assign = self.client.post(f"{url}/themes/assign/", {"theme": online.pk, "inputs": [d]})
        self.assertEqual(assign.status_code, 302)
        self.assertEqual(Submission.objects.get(pk=d).theme_id, online.pk)
        for action in ("theme_created", "theme_renamed", "themes_merged", "inputs_assigned"):
            self.assertTrue(AuditEvent.objects.filter(action=f"consultations.{action}").exists())

    def test_theme_refusals_write_nothing(self) -> None:
        c = self.closed()
        url = f"/consultations/{c['id']}"
        self.login(self.sam)
        a = self.ids(c)[0]
        bad = self.client.post(f"{url}/themes/new/", {"title": "Youth", "inputs": [a, "nope"]})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "Unknown input", status_code=400)
        self.assertEqual(self.client.post(f"{url}/themes/new/", {"title": ""}).status_code, 400)
        self.assertEqual(Theme.objects.count(), 0)
        self.client.post(f"{url}/themes/new/", {"title": "Youth", "inputs": [a]})
        youth = Theme.objects.get()
        self.assertEqual(
            self.client.post(
                f"{url}/themes/merge/", {"into": youth.pk, "themes": [youth.pk]}
            ).status_code,
            400,
        )
        self.assertEqual(
            self.client.post(f"{url}/themes/assign/", {"theme": "x", "inputs": [a]}).status_code,
            400,
        )
        self.assertEqual(
            self.client.post(
                f"/consultations/themes/{youth.pk}/rename/", {"title": "x" * 201}
            ).status_code,
            400,
        )
        self.assertEqual(list(Theme.objects.values_list("title", flat=True)), ["Youth"])
        # The participant sees the consultation but may not manage it; the outsider does not see it.
        cso = self.login(self.cso, self.client_class())
        alice = self.login(self.alice, self.client_class())
        # The consultation's page links to the management pages for the unit only.
        self.assertContains(self.client.get(f"{url}/"), f"{url}/themes/")
        self.assertNotContains(cso.get(f"{url}/"), f"{url}/themes/")
        for path in (f"{url}/themes/", f"{url}/answers/", f"{url}/moderation/"):
            self.assertEqual(cso.get(path).status_code, 403, path)
            self.assertEqual(alice.get(path).status_code, 404, path)
        self.assertEqual(
            cso.post(f"{url}/themes/new/", {"title": "T", "inputs": [a]}).status_code, 403
        )
        self.assertEqual(
            alice.post(f"/consultations/themes/{youth.pk}/rename/", {"title": "T"}).status_code, 404
        )
        self.assertEqual(Theme.objects.count(), 1)

    def test_while_open_the_inputs_are_not_grouped(self) -> None:
        c = self.open(mode="identified")
        self.send(c)
        self.login(self.sam)
        page = self.client.get(f"/consultations/{c['id']}/themes/")
        self.assertNotContains(page, "inputs-form")
        sent = self.client.post(
            f"/consultations/{c['id']}/themes/new/", {"title": "T", "inputs": self.ids(c)}
        )
        self.assertEqual(sent.status_code, 409)
        self.assertEqual(Theme.objects.count(), 0)

    def test_responses_and_publishing(self) -> None:
        c = self.closed()
        url = f"/consultations/{c['id']}"
        self.login(self.sam)
        a, b, d = self.ids(c)
        self.client.post(f"{url}/themes/new/", {"title": "Youth", "inputs": [a, b]})
        youth = Theme.objects.get()
        page = self.client.get(f"{url}/answers/")
        self.assertContains(page, "Inputs without a response: 3")
        self.assertContains(page, "1 input in no theme")
        self.assertEqual(self.client.post(f"{url}/move/", {"to": "synthesis"}).status_code, 302)
        refused = self.client.post(f"{url}/publish/")
        self.assertEqual(refused.status_code, 409)
        self.assertContains(refused, "3 inputs have no response yet", status_code=409)
        self.assertEqual(Consultation.objects.get().status, Status.SYNTHESIS)
        respond = f"/consultations/themes/{youth.pk}/respond/"
        p = f"t{youth.pk}-"
        short = self.client.post(respond, {p + "response": "taken_up", p + "reason": "ok"})
        self.assertEqual(short.status_code, 400)
        no_link = self.client.post(
            respond, {p + "response": "taken_up", p + "reason": "The plan funds youth centres."}
        )
        self.assertEqual(no_link.status_code, 400)
        self.assertContains(no_link, "Link to what changed", status_code=400)
        youth.refresh_from_db()
        self.assertEqual(youth.response, "")
        done = self.client.post(
            respond,
            {
                p + "response": "taken_up",
                p + "reason": "The plan now funds youth centres.",
                p + "change_link": "https://example.org/plan/v2",
                p + "change_label": "Plan, version 2",
            },
        )
        self.assertEqual(done.status_code, 302)
        self.client.post(f"{url}/themes/new/", {"title": "Schools", "inputs": [d]})
        refused = self.client.post(f"{url}/publish/")
        self.assertContains(refused, "1 inputs have no response yet", status_code=409)
        schools = Theme.objects.get(title="Schools")
        p = f"t{schools.pk}-"
        self.client.post(
            f"/consultations/themes/{schools.pk}/respond/",
            {p + "response": "not_taken_up", p + "reason": "Schools are outside this plan."},
        )
        self.assertContains(self.client.get(f"{url}/answers/"), "Every input has a response.")
        self.assertEqual(self.client.post(f"{url}/publish/").status_code, 302)
        self.assertEqual(Consultation.objects.get().status, Status.PUBLISHED)
        cso = self.login(self.cso, self.client_class())
        self.assertEqual(cso.post(f"{url}/publish/").status_code, 403)

    def test_moderation_queue(self) -> None:
        c = self.closed(n=5)
        url = f"/consultations/{c['id']}"
        sid = self.ids(c)[0]
        for i in range(3):
            reporter = make_person(f"r{i}", self.cso_org, Role.CSO_MEMBER, otp=False)
            body = {"reason": "Names a person who is at risk."}
            self.api("POST", f"{url}/inputs/{sid}/report", reporter, body)
        self.assertTrue(Submission.objects.get(pk=sid).hidden)
        self.login(self.sam)
        page = self.client.get(f"{url}/moderation/")
        self.assertContains(page, "Names a person who is at risk.")
        self.assertContains(page, "Input number")
        self.assertNotContains(page, "r0")  # reporters are not shown
        bad = self.client.post(f"{url}/moderation/{sid}/", {"decision": "maybe"})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(
            self.client.post(
                f"{url}/moderation/not-a-key/", {"decision": "reinstated"}
            ).status_code,
            404,
        )
        self.assertTrue(Submission.objects.get(pk=sid).hidden)
        cso = self.login(self.cso, self.client_class())
        self.assertEqual(
            cso.post(f"{url}/moderation/{sid}/", {"decision": "reinstated"}).status_code, 403
        )
        done = self.client.post(f"{url}/moderation/{sid}/", {"decision": "reinstated"})
        self.assertEqual(done.status_code, 302)
        s = Submission.objects.get(pk=sid)
        self.assertEqual((s.hidden, s.moderation), (False, "reinstated"))

    def test_no_sender_of_an_anonymous_input_on_any_management_page(self) -> None:
        c = self.closed(mode="anonymous", n=5)
        url = f"/consultations/{c['id']}"
        sid = self.ids(c)[0]
        for i in range(3):
            reporter = make_person(f"r{i}", self.cso_org, Role.CSO_MEMBER, otp=False)
            self.api("POST", f"{url}/inputs/{sid}/report", reporter, {"reason": "Names a person."})
        self.login(self.sam)
        self.client.post(f"{url}/themes/new/", {"title": "Youth", "inputs": self.ids(c)})
        for path in ("/themes/", "/answers/", "/moderation/"):
            text = self.client.get(url + path).content.decode()
            if path != "/answers/":
                self.assertIn("Input number", text)
            self.assertNotIn("CSO-X", text, path)
            self.assertNotIn(self.cso_org.name, text, path)
            self.assertIsNone(re.search(r"\bm[0-4]\b", text), path)
