"""The governance pages: banks, crisis banks, contributing, confirming, false positives, removal.

Every write goes through the services; these tests check what the pages send them, what they show
to whom, and that each refusal answers with the right status and writes nothing.
"""

from __future__ import annotations

import hashlib
import io

from django.test import Client
from PIL import Image

from ctnet.core.models import AuditEvent
from ctnet.hashes import services
from ctnet.hashes.models import (
    Bank,
    BankKind,
    ContentCategory,
    CrisisState,
    FalsePositiveReport,
    Signal,
    SignalStatus,
)
from ctnet.hashes.tests.helpers import HashesTestCase, _named, image_bytes, pdq_of

LABELS = {"category": ContentCategory.PROPAGANDA, "legal_basis": "UNSCR 2396"}
MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def flat_png() -> bytes:
    """An image too flat for its PDQ hash to identify it (quality 0)."""
    out = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 200, 200)).save(out, "PNG")
    return out.getvalue()


class BanksPageTests(HashesTestCase):
    def test_lists_the_banks_with_counts_and_creates_one(self) -> None:
        services.confirm_signal(
            acting_user=self.alice, signal=self.contribute(self.pat, self.shared_bank, pdq_of(1))
        )
        self.contribute(self.pat, self.shared_bank, pdq_of(2))
        self.login(self.alice)
        response = self.client.get("/hashes/banks/")
        self.assertContains(response, "FRA propaganda")
        self.assertNotContains(response, "KEN bank")  # AMBER, not shared with FRA
        self.assertContains(response, 'id="bank-form"')
        self.assertContains(response, 'id="crisis-form"')
        [row] = response.context["rows"]
        self.assertEqual((row["shared"], row["pending"]), (1, 1))

        response = self.client.post(
            "/hashes/banks/",
            {
                "name": "FRA recruitment",
                "tlp": "AMBER",
                "recipients": "ken, TECH-X ",
                "requires_confirmation": "on",
                "legal_basis": "Loi 2015-912",
            },
        )
        bank = Bank.objects.get(name="FRA recruitment")
        self.assertRedirects(response, f"/hashes/banks/{bank.pk}/", fetch_redirect_response=False)
        self.assertEqual(bank.originator, self.state_a)
        self.assertTrue(bank.requires_confirmation)
        self.assertEqual(
            sorted(bank.recipient_orgs.values_list("code", flat=True)), ["KEN", "TECH-X"]
        )
        self.assertTrue(AuditEvent.objects.filter(action="hashes.bank.create").exists())
        page = self.client.get(f"/hashes/banks/{bank.pk}/")
        self.assertContains(page, "Bank created.")
        self.assertContains(page, "KEN, TECH-X")
        self.assertContains(page, 'id="contribute-form"')

    def test_a_platform_sees_only_the_banks_shared_with_it(self) -> None:
        self.login(self.pat)
        response = self.client.get("/hashes/banks/")
        self.assertContains(response, "FRA propaganda")
        self.assertNotContains(response, "KEN bank")
        self.assertEqual(self.client.get(f"/hashes/banks/{self.ken_bank.pk}/").status_code, 404)

    def test_bad_bank_input_is_400_and_writes_nothing(self) -> None:
        self.login(self.alice)
        before = Bank.objects.count()
        response = self.client.post(
            "/hashes/banks/", {"name": "X", "tlp": "AMBER", "recipients": "KEN, NOPE"}
        )
        self.assertContains(response, "Unknown organisation(s): NOPE", status_code=400)
        response = self.client.post("/hashes/banks/", {"name": "X", "tlp": "RED"})
        self.assertEqual(response.status_code, 400)
        response = self.client.post("/hashes/banks/", {"name": "  ", "tlp": "AMBER"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Bank.objects.count(), before)

    def test_an_officer_sees_the_banks_but_may_not_create_one(self) -> None:
        self.login(self.bob)
        response = self.client.get("/hashes/banks/")
        self.assertContains(response, "FRA propaganda")
        self.assertNotContains(response, 'id="bank-form"')
        self.assertNotContains(response, 'id="crisis-form"')
        before = Bank.objects.count()
        self.assertEqual(
            self.client.post("/hashes/banks/", {"name": "X", "tlp": "AMBER"}).status_code, 403
        )
        crisis = {"crisis-name": "X", "crisis-incident": "Y", "crisis-hours": "2"}
        self.assertEqual(self.client.post("/hashes/banks/crisis/", crisis).status_code, 403)
        self.assertEqual(Bank.objects.count(), before)


class CrisisPageTests(HashesTestCase):
    def crisis(self, **overrides: str) -> dict[str, str]:
        data = {
            "name": "Attack on 3 May",
            "incident": "Live-streamed attack, 3 May",
            "hours": "12",
            "end": "REVIEW",
            "tlp": "GREEN",
            "recipients": "TECH-X",
            "legal_basis": "UNSCR 2396",
            **overrides,
        }
        return {f"crisis-{k}": v for k, v in data.items()}

    def test_open_contribute_and_close_a_crisis_bank(self) -> None:
        alice = self.login(self.alice)
        response = alice.post("/hashes/banks/crisis/", self.crisis())
        bank = Bank.objects.get(name="Attack on 3 May")
        path = f"/hashes/banks/{bank.pk}/"
        self.assertRedirects(response, path)
        self.assertEqual((bank.kind, bank.crisis_state), (BankKind.CRISIS, CrisisState.OPEN))
        self.assertFalse(bank.requires_confirmation)
        page = alice.get(path)
        self.assertContains(page, 'id="close-form"')
        self.assertContains(page, "Live-streamed attack, 3 May")

        # Quick sharing: the platform's signal is active at once.
        pat = self.login(self.pat, Client())
        response = pat.post(f"{path}contribute/", {"signal_type": "md5", "value": MD5, **LABELS})
        signal = Signal.objects.get(bank=bank)
        self.assertRedirects(response, f"/hashes/signals/{signal.pk}/")
        self.assertEqual(signal.status, SignalStatus.ACTIVE)
        self.assertEqual(signal.incident, "Live-streamed attack, 3 May")
        # The platform does not own the bank: no close form, and closing is refused.
        self.assertNotContains(pat.get(path), 'id="close-form"')
        close = {"close-end": "REVIEW"}
        self.assertEqual(pat.post(f"{path}close/", close).status_code, 403)

        response = alice.post(f"{path}close/", close)
        self.assertRedirects(response, path)
        bank.refresh_from_db()
        signal.refresh_from_db()
        self.assertEqual(bank.crisis_state, CrisisState.REVIEW)
        self.assertEqual(signal.status, SignalStatus.PENDING)  # nobody confirmed it
        self.assertNotContains(alice.get(path), 'id="close-form"')
        response = alice.post(f"{path}close/", close)
        self.assertContains(response, "This is not an open crisis bank.", status_code=400)

    def test_bad_crisis_input_is_400_and_writes_nothing(self) -> None:
        self.login(self.alice)
        before = Bank.objects.count()
        for hours in ("0", "73", "1000"):
            response = self.client.post("/hashes/banks/crisis/", self.crisis(hours=hours))
            self.assertContains(response, "between 1 and 72 hours", status_code=400)
        response = self.client.post("/hashes/banks/crisis/", self.crisis(incident=""))
        self.assertEqual(response.status_code, 400)
        response = self.client.post("/hashes/banks/crisis/", self.crisis(recipients="TECH-Y"))
        self.assertContains(response, "Unknown organisation(s): TECH-Y", status_code=400)
        self.assertEqual(Bank.objects.count(), before)


class ContributePageTests(HashesTestCase):
    def contribute_page(self, bank: Bank, **data):
        return self.client.post(f"/hashes/banks/{bank.pk}/contribute/", {**LABELS, **data})

    def test_contribute_an_image_by_upload(self) -> None:
        self.login(self.pat)
        response = self.contribute_page(
            self.shared_bank, file=_named(image_bytes(30), "img.jpg"), entity="QDe.004"
        )
        signal = Signal.objects.get(bank=self.shared_bank)
        path = f"/hashes/signals/{signal.pk}/"
        self.assertRedirects(response, path, fetch_redirect_response=False)
        self.assertEqual((signal.signal_type, signal.value), ("pdq", pdq_of(30)))
        self.assertEqual(signal.status, SignalStatus.PENDING)  # the bank needs a confirmation
        self.assertGreaterEqual(signal.quality or 0, 50)
        self.assertEqual((signal.contributor, signal.entity), (self.tech_org, "QDe.004"))
        page = self.client.get(path)
        self.assertContains(page, "PDQ hash contributed.")
        self.assertContains(page, pdq_of(30))

    def test_flat_image_or_other_file_contributes_its_sha256(self) -> None:
        self.login(self.alice)
        for data, name in ((flat_png(), "flat.png"), (b"%PDF-1.4 not an image", "doc.pdf")):
            response = self.contribute_page(self.shared_bank, file=_named(data, name))
            self.assertEqual(response.status_code, 302)
            signal = Signal.objects.filter(bank=self.shared_bank).latest("id")
            self.assertEqual(signal.signal_type, "sha256")
            self.assertEqual(signal.value, hashlib.sha256(data).hexdigest())
            self.assertIsNone(signal.quality)
            page = self.client.get(response["Location"])
            self.assertContains(page, "SHA-256 hash contributed.")
            self.assertContains(page, "too flat" if name == "flat.png" else "Not an image")

    def test_contribute_a_pasted_hash(self) -> None:
        self.login(self.alice)
        response = self.contribute_page(
            self.shared_bank, signal_type="md5", value=f"  {MD5.upper()} ", behaviour="threat"
        )
        signal = Signal.objects.get(bank=self.shared_bank)
        self.assertRedirects(response, f"/hashes/signals/{signal.pk}/")
        self.assertEqual((signal.signal_type, signal.value), ("md5", MD5))
        self.assertEqual((signal.behaviour, signal.legal_basis), ("threat", "UNSCR 2396"))
        response = self.contribute_page(self.shared_bank, signal_type="md5", value=MD5)
        self.assertContains(response, "This hash is already in this bank.", status_code=400)

    def test_bad_contributions_are_400_and_write_nothing(self) -> None:
        self.login(self.alice)
        bank = self.shared_bank
        cases = [
            ({"signal_type": "pdq", "value": "abc"}, "64 hexadecimal characters"),
            ({"signal_type": "md5", "value": "z" * 32}, "32 hexadecimal characters"),
            ({}, "Upload a file or paste a hash."),
            (
                {"signal_type": "md5", "value": MD5, "file": _named(image_bytes(30), "a.jpg")},
                "not both",
            ),
            ({"file": _named(image_bytes(30)[:1500], "cut.jpg")}, "cannot be decoded"),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self.contribute_page(bank, **data)
                self.assertContains(response, message, status_code=400)
        response = self.client.post(
            f"/hashes/banks/{bank.pk}/contribute/",
            {"signal_type": "md5", "value": MD5, "category": "PROPAGANDA", "legal_basis": " "},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Signal.objects.exists())

    def test_contribution_refusals(self) -> None:
        self.login(self.alice)
        ken = f"/hashes/banks/{self.ken_bank.pk}/"
        self.assertEqual(self.client.get(ken).status_code, 404)
        self.assertEqual(
            self.client.post(
                f"{ken}contribute/", {"signal_type": "md5", "value": MD5, **LABELS}
            ).status_code,
            404,
        )
        self.client.logout()
        self.login(self.cso)  # may read, may not contribute
        response = self.contribute_page(self.shared_bank, signal_type="md5", value=MD5)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Signal.objects.exists())


class SignalGovernancePageTests(HashesTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.signal = self.contribute(self.pat, self.shared_bank, pdq_of(40), entity="QDe.004")
        self.path = f"/hashes/signals/{self.signal.pk}/"

    def test_a_second_organisation_confirms_and_the_signal_is_shared(self) -> None:
        self.login(self.pat)
        self.assertNotContains(self.client.get(self.path), 'id="confirm-form"')
        self.assertEqual(self.client.post(f"{self.path}confirm/").status_code, 403)  # its own

        charlie = self.login(self.charlie, Client())
        self.assertEqual(charlie.get(self.path).status_code, 404)  # pending: not shared yet

        self.client.logout()
        self.login(self.alice)
        self.assertContains(self.client.get(self.path), 'id="confirm-form"')
        response = self.client.post(f"{self.path}confirm/")
        self.assertRedirects(response, self.path)
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.status, SignalStatus.ACTIVE)
        page = self.client.get(self.path)
        self.assertContains(page, "Your organisation confirmed this signal.")
        self.assertNotContains(page, 'id="confirm-form"')
        self.assertContains(charlie.get(self.path), "QDe.004")  # shared now

        self.client.logout()
        self.login(self.bob)  # same organisation as alice
        response = self.client.post(f"{self.path}confirm/")
        self.assertContains(response, "already confirmed", status_code=400)

    def test_false_positive_reports_lower_trust_then_disable(self) -> None:
        services.confirm_signal(acting_user=self.alice, signal=self.signal)
        self.login(self.charlie)
        self.assertContains(self.client.get(self.path), 'id="fp-form"')
        response = self.client.post(f"{self.path}false-positive/", {"fp-reason": "  "})
        self.assertContains(response, "This field is required.", status_code=400)
        self.assertFalse(FalsePositiveReport.objects.exists())
        response = self.client.post(f"{self.path}false-positive/", {"fp-reason": "news footage"})
        self.assertRedirects(response, self.path)
        self.signal.refresh_from_db()
        self.assertEqual((self.signal.trust_score, self.signal.status), (75, SignalStatus.ACTIVE))
        page = self.client.get(self.path)
        self.assertContains(page, "reported this signal as a false positive")
        self.assertNotContains(page, 'id="fp-form"')
        response = self.client.post(f"{self.path}false-positive/", {"fp-reason": "again"})
        self.assertContains(response, "already reported", status_code=400)

        # A second organisation's report disables it; the reporter no longer sees it.
        self.client.logout()
        self.login(self.alice)
        response = self.client.post(f"{self.path}false-positive/", {"fp-reason": "a film"})
        self.assertRedirects(response, f"/hashes/banks/{self.shared_bank.pk}/")
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.status, SignalStatus.DISABLED)

    def test_remove_with_a_reason(self) -> None:
        services.confirm_signal(acting_user=self.alice, signal=self.signal)
        self.login(self.charlie)  # neither contributor nor owner
        self.assertNotContains(self.client.get(self.path), 'id="remove-form"')
        response = self.client.post(f"{self.path}remove/", {"remove-reason": "not ours"})
        self.assertEqual(response.status_code, 403)

        self.client.logout()
        self.login(self.alice)  # the bank's owner
        self.assertContains(self.client.get(self.path), 'id="remove-form"')
        response = self.client.post(f"{self.path}remove/", {"remove-reason": ""})
        self.assertEqual(response.status_code, 400)
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.status, SignalStatus.ACTIVE)
        response = self.client.post(f"{self.path}remove/", {"remove-reason": "court order"})
        self.assertRedirects(response, f"/hashes/banks/{self.shared_bank.pk}/")
        self.signal.refresh_from_db()
        self.assertEqual(
            (self.signal.status, self.signal.status_reason), ("REMOVED", "court order")
        )

        self.client.logout()
        self.login(self.pat)  # the contributor still sees it, removed, with no form
        page = self.client.get(self.path)
        self.assertContains(page, "court order")
        self.assertNotContains(page, 'id="remove-form"')
        response = self.client.post(f"{self.path}remove/", {"remove-reason": "twice"})
        self.assertContains(response, "already removed", status_code=400)


class RefusalTests(HashesTestCase):
    def test_anonymous_oversight_wrong_methods_and_csrf(self) -> None:
        signal = self.contribute(self.alice, self.shared_bank, pdq_of(50))
        bank = f"/hashes/banks/{self.shared_bank.pk}/"
        sig = f"/hashes/signals/{signal.pk}/"
        posts = [
            "/hashes/banks/",
            "/hashes/banks/crisis/",
            f"{bank}contribute/",
            f"{bank}close/",
            f"{sig}confirm/",
            f"{sig}false-positive/",
            f"{sig}remove/",
        ]
        for path in ["/hashes/banks/", bank]:
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith("/login/"))
        for path in posts:
            self.assertEqual(self.client.post(path).status_code, 302, path)

        self.login(self.olga)
        for path in ["/hashes/banks/", bank]:
            self.assertEqual(self.client.get(path).status_code, 403, path)
        for path in posts:
            self.assertEqual(self.client.post(path).status_code, 403, path)
        self.client.logout()

        self.login(self.alice)
        self.assertEqual(self.client.get("/hashes/banks/999999/").status_code, 404)
        for path in posts[1:]:
            self.assertEqual(self.client.get(path).status_code, 405, path)
        # The forms carry the CSRF token; a post without it is refused.
        strict = Client(enforce_csrf_checks=True)
        strict.cookies = self.client.cookies
        self.assertEqual(strict.post(f"{sig}remove/", {"remove-reason": "x"}).status_code, 403)
        self.assertEqual(Signal.objects.get(pk=signal.pk).status, SignalStatus.PENDING)

    def test_match_page_links_the_banks(self) -> None:
        self.login(self.pat)
        response = self.client.get("/hashes/")
        self.assertContains(response, 'href="/hashes/banks/"')
        self.assertContains(response, f'href="/hashes/banks/{self.shared_bank.pk}/"')
