"""Consultations on core's shared pieces (issue 14): notices in the platform beside the e-mails
each person chose, and what waits for the unit and for civil society on the home page."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from ctnet.consultations.models import Submission
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.capabilities import waiting_for
from ctnet.core.models import NoticeEmail, Notification, OrgKind, Role
from ctnet.testing.base import make_org, make_person

UNANSWERED = "Consultation inputs without a response"
REPORTS = "Reported inputs to moderate"
APPEALS = "Appeals to decide"
TO_ANSWER = "Open consultations you have not answered"


def counts(user: Any) -> dict[str, int]:
    """What waits for the person in consultations (the menu entry the badge adds to)."""
    user.forget_membership()
    return {str(w.label): w.number for w in waiting_for(user) if w.menu == "consultations"}


class NoticeTests(ConsultationTestCase):
    def opened(self, **over: Any) -> dict[str, Any]:
        with self.captureOnCommitCallbacks(execute=True):
            return self.open(**over)

    def test_opening_notifies_the_audience_in_the_platform_and_by_preference(self) -> None:
        digest = make_person("digest", self.cso_org, Role.CSO_MEMBER, otp=False)
        digest.notice_email = NoticeEmail.DIGEST
        digest.save(update_fields=["notice_email"])
        quiet = make_person("quiet", self.cso_org, Role.CSO_MEMBER, otp=False)
        quiet.notice_email = NoticeEmail.NONE
        quiet.save(update_fields=["notice_email"])
        mail.outbox.clear()
        c = self.opened()
        notices = Notification.objects.filter(kind="consultations.open")
        self.assertEqual(sorted(n.recipient.username for n in notices), ["cso", "digest", "quiet"])
        # Civil society only: the secretariat and the states are not the audience.
        self.assertFalse(Notification.objects.filter(recipient__in=[self.sam, self.alice]))
        self.assertEqual({n.link for n in notices}, {f"/consultations/{c['id']}/"})
        # By e-mail only to the one who wants each notice; the digest waits for its day.
        self.assertEqual([m.to for m in mail.outbox], [[self.cso.email]])
        for text in [*(n.title + n.body for n in notices), mail.outbox[0].body]:
            self.assertNotIn(c["title"], text)
            self.assertNotIn(c["subject"], text)

    def test_named_audience_only_and_at_risk_links_to_the_list(self) -> None:
        other = make_org("CSO-Y", OrgKind.CIVIL_SOCIETY)
        outsider = make_person("outsider", other, Role.CSO_MEMBER, otp=False)
        self.opened(audience="named", named_orgs=["CSO-X"], at_risk=True)
        notice = Notification.objects.get(kind="consultations.open")
        self.assertEqual(notice.recipient, self.cso)
        self.assertFalse(Notification.objects.filter(recipient=outsider))
        # At risk: not even the address of the consultation's page.
        self.assertEqual(notice.link, "/consultations/")

    def test_publishing_notifies_the_audience(self) -> None:
        c = self.opened(mode="identified")
        for to in ("closed", "synthesis", "published"):
            with self.captureOnCommitCallbacks(execute=True):
                self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": to})
        self.assertTrue(
            Notification.objects.filter(kind="consultations.published", recipient=self.cso)
        )


@override_settings(CONSULTATIONS_AUTOHIDE_REPORTS=1)
class AuthorNoticeTests(ConsultationTestCase):
    def hide_input(self, mode: str) -> None:
        c = self.open(mode=mode)
        self.send(c)
        reader = make_person("reader", self.cso_org, Role.CSO_MEMBER, otp=False)
        sid = str(Submission.objects.get().pk)
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        Notification.objects.all().delete()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.api(
                "POST",
                f"/consultations/{c['id']}/inputs/{sid}/report",
                reader,
                {"reason": "Names a person who is at risk."},
            )
        self.assertTrue(response.json()["hidden"], response.content)

    def test_an_identified_author_is_told_in_the_platform(self) -> None:
        with override_settings(CONSULTATIONS_K=1):
            self.hide_input("identified")
        notice = Notification.objects.get()
        self.assertEqual((notice.recipient, notice.kind), (self.cso, "consultations.input_hidden"))
        self.assertEqual(notice.link, "/consultations/")
        self.assertEqual([m.to for m in mail.outbox], [[self.cso.email]])

    def test_an_anonymous_sender_gets_no_notice_tied_to_them(self) -> None:
        with override_settings(CONSULTATIONS_K=1):
            self.hide_input("anonymous")
        self.assertFalse(Notification.objects.exists())
        self.assertEqual(mail.outbox, [])


@override_settings(CONSULTATIONS_K=1, CONSULTATIONS_AUTOHIDE_REPORTS=1)
class WaitingTests(ConsultationTestCase):
    def closed_with_inputs(self, n: int, mode: str = "identified") -> dict[str, Any]:
        c = self.open(mode=mode)
        self.send(c)
        for i in range(n - 1):
            self.send(c, make_person(f"p{c['id']}-{i}", self.cso_org, Role.CSO_MEMBER, otp=False))
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        return c

    def test_civil_society_counts_open_consultations_not_answered(self) -> None:
        self.create()  # a draft is nobody's work yet
        c = self.open()
        other = make_org("CSO-Y", OrgKind.CIVIL_SOCIETY)
        self.open(audience="named", named_orgs=["CSO-Y"])  # not CSO-X's audience (CSO-Y: both)
        self.assertEqual(counts(self.cso), {TO_ANSWER: 1})
        self.login(self.cso)
        listed = self.client.get("/consultations/?waiting=to_answer")
        self.assertContains(listed, f'href="/consultations/{c["id"]}/"')
        self.assertContains(listed, "/consultations/?waiting=to_answer", status_code=200)
        self.send(c)
        self.assertEqual(counts(self.cso), {TO_ANSWER: 0})
        self.assertEqual(
            counts(make_person("y", other, Role.CSO_MEMBER, otp=False)), {TO_ANSWER: 2}
        )

    def test_the_unit_counts_unanswered_inputs_reports_and_appeals(self) -> None:
        still_open = self.open(mode="identified")
        self.send(still_open)  # inside the window: not yet the unit's work
        self.assertEqual(counts(self.sam), {UNANSWERED: 0, REPORTS: 0, APPEALS: 0})
        c = self.closed_with_inputs(3)
        self.assertEqual(counts(self.sam)[UNANSWERED], 3)
        theme = self.api(
            "POST",
            f"/consultations/{c['id']}/themes",
            self.sam,
            {
                "title": "Youth",
                "submission_ids": [
                    str(s.pk) for s in Submission.objects.filter(consultation_id=c["id"])[:2]
                ],
            },
        )
        self.assertEqual(theme.status_code, 201, theme.content)
        # In a theme without a response is still without a response.
        self.assertEqual(counts(self.sam)[UNANSWERED], 3)
        sid = str(Submission.objects.filter(consultation_id=c["id"], theme=None).get().pk)
        reader = make_person("reader", self.cso_org, Role.CSO_MEMBER, otp=False)
        self.api(
            "POST",
            f"/consultations/{c['id']}/inputs/{sid}/report",
            reader,
            {"reason": "Names a person who is at risk."},
        )
        # Hidden pending a moderator: waits for the decision, no longer for a theme.
        self.assertEqual(counts(self.sam), {UNANSWERED: 2, REPORTS: 1, APPEALS: 0})
        author = Submission.objects.get(pk=sid).author
        appealed = self.api(
            "POST",
            f"/consultations/{c['id']}/mine/appeal",
            author,
            {"text": "It names no one; please read it again."},
        )
        self.assertEqual(appealed.status_code, 200, appealed.content)
        self.assertEqual(counts(self.sam)[APPEALS], 1)
        self.api(
            "POST",
            f"/consultations/{c['id']}/inputs/{sid}/moderate",
            self.sam,
            {"decision": "taken_down"},
        )
        self.assertEqual(counts(self.sam), {UNANSWERED: 2, REPORTS: 0, APPEALS: 0})
        self.login(self.sam)
        listed = self.client.get("/consultations/?waiting=unanswered")
        self.assertContains(listed, f'href="/consultations/{c["id"]}/"')
        self.assertNotContains(listed, f'href="/consultations/{still_open["id"]}/"')
        self.assertEqual(self.client.get("/consultations/?waiting=nonsense").status_code, 400)

    def test_other_roles_and_other_openers_see_nothing_of_it(self) -> None:
        self.closed_with_inputs(2)
        unodc = make_org("UNODC", OrgKind.UN_ENTITY)
        focal = make_person("focal", unodc, Role.ENTITY_FOCAL_POINT)
        self.assertEqual(counts(focal), {UNANSWERED: 0, REPORTS: 0, APPEALS: 0})
        for user in (self.alice, self.olga, self.pat):
            self.assertEqual(counts(user), {}, user)

    def test_home_page_queries_do_not_grow_with_consultations(self) -> None:
        self.login(self.sam)
        seen = []
        for n in (1, 4):
            self.closed_with_inputs(n)
            with CaptureQueriesContext(connection) as queries:
                home = self.client.get("/")
            seen.append(len(queries))
            self.assertContains(home, "/consultations/?waiting=unanswered")
        self.assertContains(home, '<span class="count">5</span> ' + UNANSWERED)
        self.assertEqual(seen[0], seen[1])
        # Session, user with membership, second factor, the one SELECT of every count, the unread
        # notices: consultations' four counts add no query of their own.
        self.assertEqual(seen[1], HOME_QUERIES_SECRETARIAT)


HOME_QUERIES_SECRETARIAT = 5
