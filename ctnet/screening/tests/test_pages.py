"""Screening pages: every page for a coordinator, the refusals, what an upload keeps (only the
possible match), the four-eyes review through the pages, watchlists and notices."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from ctnet.core.markings import TLP
from ctnet.core.models import AuditEvent
from ctnet.screening import matching
from ctnet.screening.engine.csvio import parse_dob
from ctnet.screening.engine.model import Traveller
from ctnet.screening.models import (
    Channel,
    Entry,
    Hit,
    HitNotice,
    HitStatus,
    ListSource,
    Outcome,
    Purpose,
    ScreeningRun,
    Watchlist,
)
from ctnet.screening.services import review, watchlists
from ctnet.screening.services.runs import screen_travellers
from ctnet.testing.base import CtnetTestCase

WATCHLIST_CSV = (
    b"id,name,aliases,dob,nationality\n"
    b"QDi.901,Abdul Rahman Yasin,Abdul Rahman S. Taha|Aboud Yasin,1960-04-10,IRQ\n"
    b"QDi.902,Hamid Tarek Boumediene,,1975,DZA\n"
)
# The second traveller is on no list: nothing about them may remain anywhere.
UNLISTED = "Marguerite Duplessis-Okonkwo"
PASSENGERS = (
    b"id,name,dob,nationality,document\n"
    b"P1,Abdul Rahman Yasin,1960-04-10,IRQ,A1234567\n"
    + f"P2,{UNLISTED},1985-02-03,FRA,Z7654321\n".encode()
)


def _file(data: bytes, name: str = "passengers.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


class ScreeningPagesTestCase(CtnetTestCase):
    """The secretariat (UNOCT) owns a GREEN list that every member state screens against."""

    un_list: Watchlist
    yasin: Entry

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.un_list = watchlists.create_watchlist(
            acting_user=cls.sam,
            name="Consolidated list (test)",
            source=ListSource.UN_SC,
            legal_basis="UNSCR 1267, 2396",
            purpose="Border screening of foreign terrorist fighters",
            tlp=TLP.GREEN,
        )
        watchlists.import_watchlist(
            acting_user=cls.sam, watchlist=cls.un_list, data=WATCHLIST_CSV, file_name="un.csv"
        )
        cls.yasin = Entry.objects.get(watchlist=cls.un_list, ref="QDi.901")

    def setUp(self) -> None:
        super().setUp()
        # Rolled-back tests repeat the same checkpoints: never trust an index held from another.
        matching.reset_index_cache()

    def upload(self, data: bytes = PASSENGERS, name: str = "passengers.csv", **extra: Any) -> Any:
        return self.client.post(
            "/screening/",
            {
                "action": "upload",
                "upload-file": _file(data, name),
                "upload-purpose": Purpose.BORDER,
                **extra,
            },
        )

    def screened_hit(self, user: Any = None) -> Hit:
        """A possible match of the user's organisation, made through the service."""
        result = screen_travellers(
            acting_user=user or self.alice,
            travellers=[
                Traveller("T1", "Abdul Rahman Yasin", parse_dob("1960-04-10"), "IRQ", None)
            ],
            channel=Channel.API,
            purpose=Purpose.BORDER,
        )
        return result.results[0].hits[0]

    def confirmed_with_notice(self) -> tuple[Hit, HitNotice]:
        hit = self.screened_hit()
        review.decide(
            acting_user=self.alice,
            hit=hit,
            outcome=Outcome.CONFIRMED,
            reason="Same person: passport photo compared.",
            notify_owner=True,
            disseminate=True,
        )
        review.second_review(
            acting_user=self.bob, hit=hit, approve=True, reason="Agreed after checking the file."
        )
        return hit, HitNotice.objects.get(hit=hit)


class PagesRenderTests(ScreeningPagesTestCase):
    def test_every_page_renders_for_a_coordinator(self) -> None:
        hit, notice = self.confirmed_with_notice()
        self.login(self.alice)
        pages = {
            "/screening/": "Screen a passenger list",
            f"/screening/runs/{hit.run_id}/": "Abdul Rahman Yasin",
            "/screening/hits/?status=all": "Abdul Rahman Yasin",
            f"/screening/hits/{hit.pk}/": "Same date of birth.",
            "/screening/watchlists/": "Consolidated list (test)",
            f"/screening/watchlists/{self.un_list.pk}/": "QDi.902",
            f"/screening/entries/{self.yasin.pk}/": "Aboud Yasin",
            "/screening/notices/": "QDi.901",
            f"/screening/notices/{notice.pk}/": "QDi.901",
        }
        for path, text in pages.items():
            with self.subTest(path=path):
                self.assertContains(self.client.get(path), text)
        # The navigation and the home page open the pages to those who may screen.
        self.assertContains(self.client.get("/"), 'href="/screening/"')

    def test_entry_read_is_audited(self) -> None:
        self.login(self.alice)
        self.client.get(f"/screening/entries/{self.yasin.pk}/")
        self.assertTrue(
            AuditEvent.objects.filter(
                action="read", object_type="screening.entry", object_id=str(self.yasin.pk)
            ).exists()
        )

    def test_empty_queue_and_unknown_filter(self) -> None:
        self.login(self.bob)
        self.assertContains(self.client.get("/screening/hits/"), "Nothing to review.")
        self.assertEqual(self.client.get("/screening/hits/?status=NOPE").status_code, 400)


class RefusalTests(ScreeningPagesTestCase):
    def paths(self, hit: Hit, notice: HitNotice) -> list[str]:
        return [
            "/screening/",
            f"/screening/runs/{hit.run_id}/",
            "/screening/hits/",
            f"/screening/hits/{hit.pk}/",
            "/screening/watchlists/",
            f"/screening/watchlists/{self.un_list.pk}/",
            f"/screening/entries/{self.yasin.pk}/",
            "/screening/notices/",
            f"/screening/notices/{notice.pk}/",
        ]

    def test_anonymous_is_sent_to_sign_in(self) -> None:
        hit, notice = self.confirmed_with_notice()
        for path in self.paths(hit, notice):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/login/"))

    def test_roles_that_do_not_screen_are_refused(self) -> None:
        hit, notice = self.confirmed_with_notice()
        for person in (self.cso, self.pat, self.olga):
            client = self.login(person, Client())
            self.assertNotContains(client.get("/"), 'href="/screening/"')
            for path in self.paths(hit, notice):
                with self.subTest(person=person.username, path=path):
                    self.assertEqual(client.get(path).status_code, 403)
            self.assertEqual(
                client.post(f"/screening/hits/{hit.pk}/decision/", {}).status_code, 403
            )

    def test_another_organisation_gets_not_found(self) -> None:
        hit, notice = self.confirmed_with_notice()
        self.login(self.charlie)
        for path in (
            f"/screening/runs/{hit.run_id}/",
            f"/screening/hits/{hit.pk}/",
            f"/screening/notices/{notice.pk}/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)
        decision = {"outcome": Outcome.FALSE_POSITIVE, "reason": "Not the same person at all."}
        self.assertEqual(
            self.client.post(f"/screening/hits/{hit.pk}/decision/", decision).status_code, 404
        )
        self.assertEqual(
            self.client.post(f"/screening/notices/{notice.pk}/acknowledge/").status_code, 404
        )
        self.assertNotContains(self.client.get("/screening/hits/?status=all"), "Yasin")

    def test_actions_are_post_only(self) -> None:
        hit = self.screened_hit()
        self.login(self.alice)
        for path in (
            f"/screening/hits/{hit.pk}/decision/",
            f"/screening/hits/{hit.pk}/second-review/",
            f"/screening/watchlists/{self.un_list.pk}/import/",
            f"/screening/watchlists/{self.un_list.pk}/active/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 405)

    def test_csrf_is_checked_on_the_upload(self) -> None:
        self.login(self.alice)
        client = Client(enforce_csrf_checks=True)
        client.cookies = self.client.cookies  # signed in, but the form carries no token
        response = client.post(
            "/screening/",
            {"action": "upload", "upload-file": _file(PASSENGERS), "upload-purpose": "BORDER"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ScreeningRun.objects.exists())


class UploadTests(ScreeningPagesTestCase):
    def test_only_the_possible_match_is_kept(self) -> None:
        self.login(self.alice)
        response = self.upload()
        run = ScreeningRun.objects.get()
        self.assertRedirects(response, f"/screening/runs/{run.pk}/")
        self.assertEqual((run.travellers, run.possible_matches, run.bad_rows), (2, 1, 0))
        hit = Hit.objects.get()
        self.assertEqual((hit.entry, hit.traveller_name), (self.yasin, "Abdul Rahman Yasin"))

        page = self.client.get(f"/screening/runs/{run.pk}/")
        self.assertContains(page, "1 possible match")
        self.assertContains(page, "Same date of birth.")
        self.assertContains(page, "Aboud Yasin")  # the entry's alias, side by side
        self.assertNotContains(page, "Duplessis")

        # Nowhere in the database (every table, sessions decoded) nor in the audit log.
        out = io.StringIO()
        call_command("dumpdata", stdout=out)
        dumped = out.getvalue()
        self.assertIn("Abdul Rahman Yasin", dumped)
        for fragment in ("Duplessis", "Okonkwo", "Z7654321"):
            self.assertNotIn(fragment, dumped)
            for session in Session.objects.all():
                self.assertNotIn(fragment, str(session.get_decoded()))
            self.assertFalse(
                [e for e in AuditEvent.objects.all() if fragment in str(e.detail)], fragment
            )

    def test_bad_header_is_refused_whole(self) -> None:
        self.login(self.alice)
        response = self.upload(b"name,id\nAbdul Rahman Yasin,P1\n")
        self.assertContains(response, "passengers.csv:1:", status_code=400)
        self.assertFalse(ScreeningRun.objects.exists())

    def test_empty_file_and_missing_purpose(self) -> None:
        self.login(self.alice)
        self.assertContains(self.upload(b"\n\n"), "is empty", status_code=400)
        response = self.client.post(
            "/screening/", {"action": "upload", "upload-file": _file(PASSENGERS)}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ScreeningRun.objects.exists())

    def test_bad_rows_are_shown_once_and_not_kept(self) -> None:
        self.login(self.alice)
        data = PASSENGERS + b"P3,Someone Else,1960-13-45,FRA,\n"
        response = self.upload(data)
        self.assertContains(response, "1 row could not be read")
        self.assertContains(response, "Line 4")
        run = ScreeningRun.objects.get()
        self.assertEqual((run.travellers, run.bad_rows, run.possible_matches), (2, 1, 1))
        later = self.client.get(f"/screening/runs/{run.pk}/")
        self.assertNotContains(later, "Line 4")
        self.assertNotContains(later, "1960-13-45")

    def test_no_readable_traveller(self) -> None:
        self.login(self.alice)
        response = self.upload(b"id,name,dob,nationality,document\nP1,,1960,IRQ,\n")
        self.assertContains(response, "No traveller could be read.", status_code=400)
        self.assertContains(response, "Line 2", status_code=400)
        self.assertFalse(ScreeningRun.objects.exists())

    def test_too_large_upload_is_refused_before_it_is_read(self) -> None:
        self.login(self.alice)
        with self.settings(SCREENING_MAX_UPLOAD_BYTES=1024):
            big = PASSENGERS + b"P9,Filler Name,1980,FRA,\n" * 4000
            self.assertEqual(self.upload(big).status_code, 413)
        self.assertFalse(ScreeningRun.objects.exists())

    def test_rate_limit_is_429(self) -> None:
        self.login(self.alice)
        with self.settings(SCREENING_TRAVELLERS_PER_HOUR=1):
            response = self.upload()
        self.assertContains(response, "hourly allowance", status_code=429)
        self.assertFalse(ScreeningRun.objects.exists())

    def test_single_check(self) -> None:
        self.login(self.bob)
        form = {
            "action": "check",
            "check-name": "Abdul Rahman Yasin",
            "check-dob": "1960-04-10",
            "check-nationality": "irq",
            "check-purpose": Purpose.VISA,
        }
        response = self.client.post("/screening/", form)
        run = ScreeningRun.objects.get()
        self.assertRedirects(response, f"/screening/runs/{run.pk}/")
        self.assertEqual((run.channel, run.possible_matches), (Channel.PAGE, 1))
        nobody = {**form, "check-name": UNLISTED, "check-dob": "1985-02-03"}
        response = self.client.post("/screening/", nobody, follow=True)
        self.assertContains(response, "No possible match")
        self.assertEqual(Hit.objects.count(), 1)
        bad = self.client.post("/screening/", {**form, "check-dob": "10/04/1960"})
        self.assertContains(bad, "YYYY-MM-DD", status_code=400)
        self.assertEqual(ScreeningRun.objects.count(), 2)


class ReviewTests(ScreeningPagesTestCase):
    def test_four_eyes_through_the_pages(self) -> None:
        self.login(self.alice)
        self.upload()
        hit = Hit.objects.get()
        path = f"/screening/hits/{hit.pk}/"
        self.assertContains(self.client.get(path), 'id="decision-form"')
        short = {"outcome": Outcome.CONFIRMED, "reason": "same"}
        self.assertEqual(self.client.post(f"{path}decision/", short).status_code, 400)
        response = self.client.post(
            f"{path}decision/",
            {
                "outcome": Outcome.CONFIRMED,
                "reason": "Passport photograph compared at the desk.",
                "notify_owner": "on",
            },
        )
        self.assertRedirects(response, path)
        hit.refresh_from_db()
        self.assertEqual((hit.status, hit.proposed_by), (HitStatus.PROPOSED, self.alice))

        # The proposer may not be the second pair of eyes.
        page = self.client.get(path)
        self.assertNotContains(page, 'id="second-review-form"')
        self.assertContains(page, "Waiting for a second reviewer")
        approve = {"approve": "1", "reason": "I approve my own proposal."}
        self.assertEqual(self.client.post(f"{path}second-review/", approve).status_code, 403)
        hit.refresh_from_db()
        self.assertEqual(hit.status, HitStatus.PROPOSED)
        self.assertFalse(HitNotice.objects.exists())

        self.client.logout()
        self.login(self.bob)
        self.assertContains(self.client.get(path), 'id="second-review-form"')
        response = self.client.post(
            f"{path}second-review/", {"approve": "1", "reason": "Checked the file: agreed."}
        )
        self.assertRedirects(response, path)
        hit.refresh_from_db()
        self.assertEqual(hit.status, HitStatus.CONFIRMED)
        page = self.client.get(path)
        self.assertContains(page, "Confirmed")
        self.assertContains(page, "Checked the file: agreed.")  # the review trail
        again = self.client.post(f"{path}second-review/", approve)
        self.assertEqual(again.status_code, 409)

        notice = HitNotice.objects.get()
        self.assertEqual(
            (notice.owner, notice.sender, notice.traveller), (self.unoct, self.state_a, {})
        )
        self.client.logout()
        self.login(self.sam)
        notices = self.client.get("/screening/notices/")
        self.assertContains(notices, "QDi.901")
        self.assertContains(notices, "1 to acknowledge")
        response = self.client.post(f"/screening/notices/{notice.pk}/acknowledge/")
        self.assertRedirects(response, "/screening/notices/")
        notice.refresh_from_db()
        self.assertEqual(notice.acknowledged_by, self.sam)

    def test_send_back_reopens(self) -> None:
        hit = self.screened_hit()
        review.decide(
            acting_user=self.alice,
            hit=hit,
            outcome=Outcome.CONFIRMED,
            reason="Looks like the same person.",
        )
        self.login(self.bob)
        response = self.client.post(
            f"/screening/hits/{hit.pk}/second-review/",
            {"approve": "0", "reason": "The document does not agree."},
        )
        self.assertRedirects(response, f"/screening/hits/{hit.pk}/")
        hit.refresh_from_db()
        self.assertEqual(hit.status, HitStatus.OPEN)

    def test_notify_only_with_a_confirmation(self) -> None:
        hit = self.screened_hit()
        self.login(self.alice)
        response = self.client.post(
            f"/screening/hits/{hit.pk}/decision/",
            {"outcome": Outcome.INCONCLUSIVE, "reason": "Cannot tell yet.", "notify_owner": "on"},
        )
        self.assertContains(response, "Only a confirmed hit", status_code=400)
        hit.refresh_from_db()
        self.assertEqual(hit.status, HitStatus.OPEN)

    def test_false_positive_is_not_raised_again(self) -> None:
        self.login(self.alice)
        self.upload()
        hit = Hit.objects.get()
        response = self.client.post(
            f"/screening/hits/{hit.pk}/decision/",
            {"outcome": Outcome.FALSE_POSITIVE, "reason": "Different person: photo differs."},
        )
        self.assertRedirects(response, f"/screening/hits/{hit.pk}/")
        self.assertContains(self.client.get("/screening/hits/"), "Nothing to review.")
        self.upload()
        self.assertEqual(Hit.objects.count(), 1)
        second = ScreeningRun.objects.order_by("-id").first()
        self.assertEqual((second.possible_matches, second.suppressed), (0, 1))
        self.assertContains(self.client.get(f"/screening/runs/{second.pk}/"), "No possible match")


class WatchlistPageTests(ScreeningPagesTestCase):
    def create_closed_list(self) -> Watchlist:
        """Alice creates, through the page, an AMBER list for KEN that keeps its entries."""
        self.login(self.alice)
        response = self.client.post(
            "/screening/watchlists/",
            {
                "name": "FRA returnees",
                "source": ListSource.NATIONAL,
                "legal_basis": "Code de la sécurité intérieure",
                "purpose": "Returning foreign terrorist fighters",
                "tlp": TLP.AMBER,
                "recipients": "ken",
                "default_legal_status": "suspect",
                "hit_retention_days": "365",
                "review_days": "365",
            },
        )
        watchlist = Watchlist.objects.get(name="FRA returnees")
        self.assertRedirects(response, f"/screening/watchlists/{watchlist.pk}/")
        self.assertFalse(watchlist.entries_visible)
        self.assertEqual(list(watchlist.recipient_orgs.all()), [self.state_b])
        return watchlist

    def test_create_import_search_suspend(self) -> None:
        watchlist = self.create_closed_list()
        path = f"/screening/watchlists/{watchlist.pk}/"
        data = b"id,name,aliases,dob,nationality\nFR-1,Karim Belkacem Haddad,Abu Karim,1991,FRA\n"
        response = self.client.post(f"{path}import/", {"file": _file(data, "fra.csv")})
        self.assertRedirects(response, path)
        page = self.client.get(path)
        self.assertContains(page, "1 added")
        self.assertContains(page, "Karim Belkacem Haddad")
        changed = data.replace(b"1991", b"1990") + b"FR-2,Second Person,,1980,FRA\n"
        self.client.post(f"{path}import/", {"file": _file(changed, "fra2.csv")})
        page = self.client.get(path)
        self.assertContains(page, "FR-1</bdi>: dates of birth")
        self.assertContains(self.client.get(f"{path}?q=second"), "Second Person")
        self.assertNotContains(self.client.get(f"{path}?q=second"), "Karim Belkacem Haddad")
        bad = self.client.post(f"{path}import/", {"file": _file(b"id,name\nx,y\n", "bad.csv")})
        self.assertContains(bad, "bad.csv:1:", status_code=400)

        # The officer sees the list but does not manage it. (A second client: a one-time code
        # is not accepted twice, so alice stays signed in on the first.)
        bob = self.login(self.bob, Client())
        self.assertNotContains(bob.get(path), 'id="import-form"')
        self.assertEqual(bob.post(f"{path}import/", {"file": _file(data)}).status_code, 403)
        self.assertEqual(bob.post(f"{path}active/", {"active": "0"}).status_code, 403)
        self.assertRedirects(self.client.post(f"{path}active/", {"active": "0"}), path)
        watchlist.refresh_from_db()
        self.assertFalse(watchlist.is_active)

    def test_closed_list_gives_a_reference_to_ask_about(self) -> None:
        watchlist = self.create_closed_list()
        watchlists.import_watchlist(
            acting_user=self.alice,
            watchlist=watchlist,
            data=b"id,name,aliases,dob,nationality\n"
            b"FR-7,Karim Belkacem Haddad,Abu Karim,1991-03-02,FRA\n",
            file_name="fra.csv",
        )
        entry = Entry.objects.get(watchlist=watchlist)
        self.client.logout()
        self.login(self.charlie)
        path = f"/screening/watchlists/{watchlist.pk}/"
        page = self.client.get(path)
        self.assertContains(page, "keeps the entries of this list to itself")
        self.assertNotContains(page, "Karim")
        self.assertEqual(self.client.get(f"/screening/entries/{entry.pk}/").status_code, 404)
        response = self.client.post(
            "/screening/",
            {
                "action": "check",
                "check-name": "Karim Belkacem Haddad",
                "check-dob": "1991-03-02",
                "check-nationality": "FRA",
                "check-purpose": Purpose.BORDER,
            },
        )
        hit = Hit.objects.get(entry=entry)
        self.assertRedirects(response, f"/screening/runs/{hit.run_id}/")
        page = self.client.get(f"/screening/hits/{hit.pk}/")
        self.assertContains(page, "owned by FRA: ask the owner")
        self.assertNotContains(page, "Abu Karim")

    def test_creation_errors_and_who_may_create(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/screening/watchlists/",
            {
                "name": "x",
                "source": ListSource.NATIONAL,
                "legal_basis": "law",
                "purpose": "p",
                "tlp": TLP.AMBER,
                "recipients": "NOPE",
                "default_legal_status": "suspect",
                "hit_retention_days": "30",
                "review_days": "30",
            },
        )
        self.assertContains(response, "Unknown organisation(s): NOPE", status_code=400)
        self.client.logout()
        self.login(self.bob)  # an officer screens but does not own lists
        self.assertNotContains(self.client.get("/screening/watchlists/"), 'id="watchlist-form"')
        self.assertEqual(self.client.post("/screening/watchlists/", {}).status_code, 403)
