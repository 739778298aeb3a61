"""The public audience through a link (issue 15, item 1): the link's services and API, the pages
without an account, and every refusal; that a public submission keeps nothing of its sender."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.core import serializers
from django.test import override_settings
from django.utils import timezone

from ctnet.consultations.models import Answer, Consultation, Participation, Submission
from ctnet.consultations.services import public_link
from ctnet.consultations.tests.test_consultations import ConsultationTestCase
from ctnet.core.models import AuditEvent, RateLimitBucket

IP = "203.0.113.91"
AGENT = "PublicPhone/2.0 (unique-device-5512)"
ARABIC = "نريد برامج للشباب في الأحياء"


class PublicLinkTestCase(ConsultationTestCase):
    def public(self, **over: Any) -> dict[str, Any]:
        return self.create(audience="public", **over)

    def make_link(self, c: dict[str, Any], user: Any = None) -> Any:
        return self.api("POST", f"/consultations/{c['id']}/public-link", user or self.sam)

    def opened_with_link(self, **over: Any) -> tuple[dict[str, Any], str]:
        c = self.public(**over)
        token = self.make_link(c).json()["token"]
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "open"})
        return c, token

    def form(self, c: dict[str, Any], token: str, **over: Any) -> dict[str, Any]:
        q = {x["kind"]: x["id"] for x in c["questions"]}
        return {
            "token": token,
            "language": "ar",
            f"q{q['text']}": ARABIC,
            f"q{q['single']}": "Yes",
            f"q{q['multiple']}": ["Schools", "Online"],
            f"q{q['statement']}": "agree",
            **over,
        }

    def post(self, c: dict[str, Any], data: dict[str, Any], **kw: Any) -> Any:
        return self.client.post(f"/consultations/public/{c['id']}/submit/", data, **kw)


class ConfigurationTests(PublicLinkTestCase):
    def test_identified_or_pseudonymous_public_consultation_is_refused(self) -> None:
        from ctnet.consultations.tests.helpers import consultation_data

        for mode in ("identified", "pseudonymous"):
            data = consultation_data(audience="public", mode=mode)
            response = self.api("POST", "/consultations/", self.sam, data)
            self.assertEqual(response.status_code, 400, mode)
            self.assertIn("anonymous inputs only", response.json()["detail"])
        # In the person's language.
        data = consultation_data(audience="public", mode="identified")
        arabic = self.api("POST", "/consultations/", self.sam, data, HTTP_ACCEPT_LANGUAGE="ar")
        self.assertIn("المساهمات المجهولة", arabic.json()["detail"])
        self.assertEqual(Consultation.objects.count(), 0)
        self.assertEqual(self.public()["audience"], "public")

    def test_the_configure_page_refuses_it_too(self) -> None:
        self.login(self.sam)
        form = {
            "title": "Public survey",
            "subject_kind": "programme",
            "subject": "Schools",
            "audience": "public",
            "mode": "identified",
            "languages": ["en"],
            "q-TOTAL_FORMS": "1",
            "q-INITIAL_FORMS": "0",
            "q-0-kind": "text",
            "q-0-text": "What should change?",
        }
        response = self.client.post("/consultations/new/", form)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "anonymous inputs only", status_code=400)
        self.assertEqual(Consultation.objects.count(), 0)

    def test_leaving_the_public_audience_ends_the_link(self) -> None:
        c = self.public()
        self.make_link(c)
        from ctnet.consultations.tests.helpers import consultation_data

        body = consultation_data()
        questions = body.pop("questions")
        from ctnet.consultations.services import configuring

        configuring.update_consultation(
            acting_user=self.sam,
            consultation=Consultation.objects.get(pk=c["id"]),
            data=body,
            questions=questions,
        )
        found = Consultation.objects.get(pk=c["id"])
        self.assertEqual(found.public_link_hash, "")
        self.assertIsNotNone(found.public_link_revoked_at)


class LinkServiceAndApiTests(PublicLinkTestCase):
    def test_make_returns_the_token_once_and_stores_its_hash(self) -> None:
        c = self.public()
        response = self.make_link(c)
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        token = body["token"]
        self.assertGreaterEqual(len(token), 40)
        self.assertTrue(body["url"].endswith(f"/consultations/public/{c['id']}/{token}/"))
        found = Consultation.objects.get(pk=c["id"])
        self.assertEqual(found.public_link_hash, public_link.link_hash(token))
        self.assertIsNotNone(found.public_link_made_at)
        # The token is nowhere in the database: not in the row, not in an audit row.
        for model in apps.get_models():
            for obj in model._default_manager.all():
                self.assertNotIn(token, serializers.serialize("json", [obj]), model)
        event = AuditEvent.objects.filter(action="consultations.public_link_made").get()
        self.assertEqual((event.actor_id, event.detail), (self.sam.pk, {"replaced": False}))
        # The unit reads whether it works, never the token.
        state = self.get(c, self.sam).json()["public_link"]
        self.assertTrue(state["active"])

    def test_replacing_stops_the_old_link(self) -> None:
        c, old = self.opened_with_link()
        new = self.make_link(c).json()["token"]
        self.assertEqual(
            self.client.get(f"/consultations/public/{c['id']}/{old}/").status_code, 404
        )
        self.assertEqual(
            self.client.get(f"/consultations/public/{c['id']}/{new}/").status_code, 200
        )
        event = AuditEvent.objects.filter(action="consultations.public_link_made").last()
        self.assertEqual(event.detail, {"replaced": True})

    def test_revoke(self) -> None:
        c, token = self.opened_with_link()
        response = self.api("POST", f"/consultations/{c['id']}/public-link/revoke", self.sam)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertFalse(response.json()["active"])
        self.assertIsNotNone(response.json()["revoked_at"])
        url = f"/consultations/public/{c['id']}/{token}/"
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.post(c, self.form(c, token)).status_code, 404)
        again = self.api("POST", f"/consultations/{c['id']}/public-link/revoke", self.sam)
        self.assertEqual(again.status_code, 409)
        self.assertTrue(AuditEvent.objects.filter(action="consultations.public_link_revoked"))

    def test_refusals(self) -> None:
        c = self.public()
        path = f"/consultations/{c['id']}/public-link"
        # Anonymous: 401; another role that has no part in it: 404, as a missing consultation.
        self.assertEqual(self.api("POST", path).status_code, 401)
        for user in (self.alice, self.cso, self.olga):
            self.assertEqual(self.api("POST", path, user).status_code, 404, user)
            self.assertEqual(self.api("POST", f"{path}/revoke", user).status_code, 404, user)
        # Another audience: 409 for the unit; 403 for a participant who sees it.
        other = self.open()
        response = self.make_link(other)
        self.assertEqual(response.status_code, 409)
        self.assertIn("public through a link", response.json()["detail"])
        self.assertEqual(self.make_link(other, self.cso).status_code, 403)
        self.assertEqual(Consultation.objects.get(pk=other["id"]).public_link_hash, "")
        self.assertEqual(self.api("GET", path, self.sam).status_code, 405)

    def test_no_notice_goes_to_anyone_when_a_public_consultation_opens(self) -> None:
        from ctnet.consultations.notices import audience_members

        c = self.public()
        self.assertEqual(audience_members(Consultation.objects.get(pk=c["id"])), [])


class PublicPageTests(PublicLinkTestCase):
    def test_the_page_opens_without_an_account_in_the_readers_language(self) -> None:
        c, token = self.opened_with_link()
        url = f"/consultations/public/{c['id']}/{token}/"
        response = self.client.get(url, headers={"accept-language": "ar"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, 'lang="ar"')
        self.assertContains(response, "شارك")  # "Take part" in Arabic
        self.assertContains(response, f'name="token" value="{token}"')
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("noindex", response["X-Robots-Tag"])
        self.assertNotIn("sessionid", response.cookies)
        fr = self.client.get(url, headers={"accept-language": "fr"})
        self.assertContains(fr, "Participer")

    def test_missing_wrong_draft_and_other_audience_all_answer_404(self) -> None:
        c, token = self.opened_with_link()
        draft = self.public()
        draft_token = self.make_link(draft).json()["token"]
        other = self.open()
        for url in (
            f"/consultations/public/{c['id']}/wrong-token/",
            f"/consultations/public/987654/{token}/",
            f"/consultations/public/{draft['id']}/{draft_token}/",
            f"/consultations/public/{other['id']}/{token}/",
            f"/consultations/public/{c['id']}/{'x' * 200}/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_submit_without_an_account_gives_a_receipt(self) -> None:
        c, token = self.opened_with_link(at_risk=True)
        response = self.post(c, self.form(c, token))
        self.assertEqual(response.status_code, 200, response.content[:400])
        receipt = response.context["receipt"]
        self.assertContains(response, receipt)
        s = Submission.objects.get()
        self.assertEqual(
            (s.mode, s.author_id, s.organisation_id, s.alias), ("anonymous", None, None, "")
        )
        self.assertEqual(s.language, "ar")
        self.assertEqual(s.answers.count(), 4)
        self.assertFalse(Participation.objects.exists())
        # Back with the receipt, without an account.
        back = self.client.post("/consultations/receipt/", {"code": receipt})
        self.assertContains(back, ARABIC)
        # The unit counts it as a participant.
        self.assertEqual(self.get(c, self.sam).json()["participants"], 1)

    def test_closed_is_409_and_nothing_is_written(self) -> None:
        c, token = self.opened_with_link()
        self.api("POST", f"/consultations/{c['id']}/move", self.sam, {"to": "closed"})
        response = self.post(c, self.form(c, token))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "not open for submissions", status_code=409)
        self.assertFalse(Submission.objects.exists())
        # The page still opens, without the form.
        page = self.client.get(f"/consultations/public/{c['id']}/{token}/")
        self.assertNotContains(page, 'name="token"')

    def test_past_the_closing_time_is_409(self) -> None:
        c, token = self.opened_with_link()
        Consultation.objects.filter(pk=c["id"]).update(
            closes_at=timezone.now() - timedelta(minutes=1)
        )
        self.assertEqual(self.post(c, self.form(c, token)).status_code, 409)
        self.assertFalse(Submission.objects.exists())

    def test_wrong_token_is_404_and_nothing_is_written(self) -> None:
        c, token = self.opened_with_link()
        for wrong in ("", "nope", token[:-1], token + "x"):
            self.assertEqual(self.post(c, self.form(c, wrong)).status_code, 404, wrong)
        self.assertEqual(self.post({"id": 987654}, self.form(c, token)).status_code, 404)
        self.assertFalse(Submission.objects.exists())

    def test_bad_question_id_and_bad_answers_are_400_with_nothing_written(self) -> None:
        c, token = self.opened_with_link()
        for extra in ({"q987654": "x"}, {"qabc": "x"}):
            response = self.post(c, self.form(c, token, **extra))
            self.assertEqual(response.status_code, 400, extra)
            self.assertContains(response, "There is no question", status_code=400)
        q = {x["kind"]: x["id"] for x in c["questions"]}
        bad = [
            {f"q{q['single']}": "Maybe"},
            {f"q{q['text']}": ""},  # required
            {"language": "de"},
        ]
        for over in bad:
            self.assertEqual(self.post(c, self.form(c, token, **over)).status_code, 400, over)
        self.assertFalse(Submission.objects.exists())
        self.assertFalse(Answer.objects.exists())

    @override_settings(CONSULTATIONS_PUBLIC_SUBMISSIONS_PER_HOUR=3)
    def test_rate_limit_per_address_is_429(self) -> None:
        c, token = self.opened_with_link()
        for _ in range(3):
            self.assertEqual(self.post(c, self.form(c, token), REMOTE_ADDR=IP).status_code, 200)
        response = self.post(c, self.form(c, token), REMOTE_ADDR=IP)
        self.assertEqual(response.status_code, 429)
        # Wrong tokens cost too, and are refused once the allowance is spent.
        self.assertEqual(self.post(c, self.form(c, "guess"), REMOTE_ADDR=IP).status_code, 429)
        self.assertEqual(Submission.objects.count(), 3)
        # Another address is not refused.
        other = self.post(c, self.form(c, token), REMOTE_ADDR="198.51.100.4")
        self.assertEqual(other.status_code, 200)
        # The bucket key is a keyed hash: neither the address nor its plain digest is in it.
        import hashlib

        keys = " ".join(RateLimitBucket.objects.values_list("key", flat=True))
        self.assertNotIn(IP, keys)
        plain = hashlib.sha256(f"consultation-public-ip:{IP}".encode()).hexdigest()
        self.assertNotIn(plain[:40], keys)

    def test_an_ipv6_address_counts_by_its_64(self) -> None:
        a = public_link.address_subject("2001:db8:1:2::1")
        self.assertEqual(a, public_link.address_subject("2001:db8:1:2:ffff::9"))
        self.assertNotEqual(a, public_link.address_subject("2001:db8:1:3::1"))
        self.assertEqual(public_link.address_subject(None), "unknown")

    def test_get_only_and_post_only(self) -> None:
        c, token = self.opened_with_link()
        self.assertEqual(
            self.client.post(f"/consultations/public/{c['id']}/{token}/").status_code, 405
        )
        self.assertEqual(
            self.client.get(f"/consultations/public/{c['id']}/submit/").status_code, 405
        )


class UnitPageTests(PublicLinkTestCase):
    def test_make_shows_the_full_link_once_then_revoke(self) -> None:
        c = self.public()
        self.login(self.sam)
        url = f"/consultations/{c['id']}/public-link/"
        page = self.client.get(url)
        self.assertContains(page, "There is no public link yet.")
        made = self.client.post(url, {"action": "make"})
        self.assertEqual(made.status_code, 200)
        link = made.context["link"]
        self.assertIn(f"/consultations/public/{c['id']}/", link)
        self.assertContains(made, link)
        token = link.rstrip("/").rsplit("/", 1)[1]
        # Shown once: the page read again has it no more, and no session holds it.
        again = self.client.get(url)
        self.assertNotContains(again, token)
        from django.contrib.sessions.models import Session

        for session in Session.objects.all():
            self.assertNotIn(token, json.dumps(session.get_decoded()))
        revoked = self.client.post(url, {"action": "revoke"})
        self.assertContains(revoked, "revoked")
        self.assertEqual(self.client.post(url, {"action": "revoke"}).status_code, 409)
        self.assertEqual(self.client.post(url, {"action": "other"}).status_code, 400)
        # The consultation's page links to it for the unit.
        self.assertContains(self.client.get(f"/consultations/{c['id']}/"), url)

    def test_refusals(self) -> None:
        c = self.public()
        url = f"/consultations/{c['id']}/public-link/"
        self.assertEqual(self.client.get(url).status_code, 302)  # to sign in
        self.login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 404)
        other = self.open()
        self.login(self.cso)
        self.assertEqual(
            self.client.get(f"/consultations/{other['id']}/public-link/").status_code, 403
        )
        self.login(self.sam)
        refused = self.client.post(f"/consultations/{other['id']}/public-link/", {"action": "make"})
        self.assertEqual(refused.status_code, 409)


class NothingOfTheSenderTests(PublicLinkTestCase):
    def test_no_address_or_user_agent_in_any_row_audit_or_log(self) -> None:
        c, token = self.opened_with_link()
        before = AuditEvent.objects.count()
        with self.assertLogs(level="DEBUG") as logs:
            logging.getLogger("ctnet").debug("capture starts")
            response = self.post(c, self.form(c, token), REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
            # A refused one logs its status line: still no address in it.
            self.post(c, self.form(c, "wrong"), REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
        self.assertEqual(response.status_code, 200)
        receipt = response.context["receipt"]
        sid = str(Submission.objects.get().pk)
        for model in apps.get_models():
            for obj in model._default_manager.all():
                text = serializers.serialize("json", [obj])
                for value in (IP, AGENT, receipt):
                    self.assertNotIn(value, text, model._meta.label)
        events = list(AuditEvent.objects.order_by("id")[before:])
        self.assertEqual([e.action for e in events], ["consultations.public_submission"])
        event = events[0]
        self.assertIsNone(event.actor_id)
        self.assertIsNone(event.organisation_id)
        self.assertIsNone(event.ip)
        self.assertEqual((event.user_agent, event.request_id), ("", ""))
        self.assertEqual(event.detail, {"count": 1})
        for line in logs.output:
            for value in (IP, AGENT, sid, receipt):
                self.assertNotIn(value, line)
