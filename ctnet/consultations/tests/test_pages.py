"""Consultation pages: the list and one consultation, taking part through the form (and its
refusals in the person's language), the window's next step, the report, and theme proposals."""

from __future__ import annotations

from ctnet.consultations.models import Participation, Submission
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import Role
from ctnet.testing.base import make_person


class PageTests(ConsultationTestCase):
    def form(self, c: dict, text: str = "Fund youth centres") -> dict[str, str]:
        q = {x["kind"]: x["id"] for x in c["questions"]}
        return {"language": "fr", f"q{q['text']}": text, f"q{q['statement']}": "agree"}

    def test_list_and_detail_in_arabic_right_to_left(self) -> None:
        c = self.open()
        self.login(self.cso)
        self.client.post("/i18n/setlang/", {"language": "ar"})
        page = self.client.get("/consultations/")
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, c["title"])
        # The page's own reads, and the base template's: the second factor, the one SELECT of
        # everything that waits (every capability's counts) and the unread notices.
        with self.assertNumQueries(16):
            detail = self.client.get(f"/consultations/{c['id']}/")
        self.assertContains(detail, "شارك")  # "Take part"
        self.assertContains(detail, "consultation-form")

    def test_submission_through_the_form_and_its_refusals(self) -> None:
        c = self.open()
        self.login(self.cso)
        url = f"/consultations/{c['id']}/submit/"
        bad = self.client.post(url, {"language": "fr", "q987654": "x"}, HTTP_ACCEPT_LANGUAGE="fr")
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(Submission.objects.count() + Participation.objects.count(), 0)
        sent = self.client.post(url, self.form(c))
        self.assertContains(sent, "receipt")
        again = self.client.post(url, self.form(c))
        self.assertEqual(again.status_code, 409)
        self.assertEqual(Submission.objects.count(), 1)
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_window_page_and_report(self) -> None:
        c = self.open(mode="identified")
        self.login(self.sam)
        report = self.client.get(f"/consultations/{c['id']}/report/")
        self.assertContains(report, "Synthesis report")
        move = self.client.post(f"/consultations/{c['id']}/move/", {"to": "published"})
        self.assertEqual(move.status_code, 409)
        move = self.client.post(f"/consultations/{c['id']}/move/", {"to": "closed"})
        self.assertEqual(move.status_code, 302)
        cso = self.login(self.cso, self.client_class())
        self.assertEqual(cso.post(f"/consultations/{c['id']}/move/", {"to": "x"}).status_code, 403)
        self.assertEqual(cso.get(f"/consultations/{c['id']}/report/").status_code, 409)
        alice = self.login(self.alice, self.client_class())
        self.assertEqual(alice.get(f"/consultations/{c['id']}/").status_code, 404)
        self.assertEqual(alice.get("/consultations/").status_code, 403)

    def test_theme_proposals_group_across_languages(self) -> None:
        c = self.open(mode="identified")
        texts = [
            ("يجب أن يشارك الشباب في تصميم برامج الوقاية.", "ar"),
            ("Les jeunes doivent participer à la conception des programmes de prévention.", "fr"),
            ("Young people must help design prevention programmes.", "en"),
            ("تحتاج السجون إلى برامج لمكافحة تطرف المحتجزين.", "ar"),
            ("Les prisons ont besoin de programmes contre la radicalisation des détenus.", "fr"),
            ("Prisons need programmes against radicalisation of detainees.", "en"),
        ]
        for i, (text, lang) in enumerate(texts):
            member = make_person(f"t{i}", self.cso_org, Role.CSO_MEMBER, otp=False)
            self.assertEqual(
                self.send(c, member, answers=self.answers(c, text), language=lang).status_code, 201
            )
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        proposals = self.get(c, self.sam, "/theme-proposals").json()["items"]
        by_text = {}
        items = self.get(c, self.sam, "/submissions").json()["items"]
        for item in items:
            by_text[item["id"]] = next(a["text"] for a in item["answers"] if a["text"])
        groups = [
            sorted(
                texts.index(next(t for t in texts if t[0] == by_text[i]))
                for i in p["submission_ids"]
            )
            for p in proposals
        ]
        self.assertEqual(sorted(groups), [[0, 1, 2], [3, 4, 5]])
        self.assertEqual(proposals[0]["languages"], ["ar", "en", "fr"])
        self.assertEqual(self.get(c, self.cso, "/theme-proposals").status_code, 403)
