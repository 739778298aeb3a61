"""Import of threatexchange and HMA exports into a bank: all or nothing, refusals by line."""

from __future__ import annotations

import json

from ctnet.core.models import AuditEvent
from ctnet.hashes.models import Signal, SignalStatus
from ctnet.hashes.tests.helpers import HashesTestCase, _named, pdq_of

MD5 = "9e107d9d372bb6826bd81d3542a419d6"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
FORM = {"category": "PROPAGANDA", "legal_basis": "UNSCR 2396", "entity": "QDe.115"}


class ImportTests(HashesTestCase):
    def post(self, user, bank_id: int, text: str | bytes, language: str = "en", **form):
        data = text.encode() if isinstance(text, str) else text
        headers = {"Authorization": f"Bearer {self.token_for(user)}"} if user else {}
        headers["Accept-Language"] = language
        return self.client.post(
            f"/api/v1/hashes/banks/{bank_id}/import",
            {"file": _named(data, "export.txt"), **{**FORM, **form}},
            headers=headers,
        )

    def held(self) -> set[tuple[str, str]]:
        return set(Signal.objects.filter(bank=self.shared_bank).values_list("signal_type", "value"))

    def test_the_cli_dataset_csv_is_imported(self) -> None:
        text = (
            "signal_type,signal_str,collab,category,tags\r\n"
            f"pdq,{pdq_of(1)},FRA,POSITIVE_CLASS,PROPAGANDA\r\n"
            f"video_md5,{MD5},FRA,POSITIVE_CLASS,\r\n"
        )
        r = self.post(self.alice, self.shared_bank.pk, text)
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["count"], 2)
        self.assertEqual(self.held(), {("pdq", pdq_of(1)), ("md5", MD5)})
        signal = Signal.objects.get(value=MD5)
        # The bank needs confirmation: imported signals wait for a second organisation too.
        self.assertEqual(signal.status, SignalStatus.PENDING)
        self.assertEqual((signal.category, signal.entity), ("PROPAGANDA", "QDe.115"))
        event = AuditEvent.objects.filter(action="hashes.signal.import").get()
        self.assertEqual(event.detail["format"], "threatexchange-csv")
        self.assertEqual(event.detail["count"], 2)

    def test_cli_lines_and_hma_json_lines_are_imported(self) -> None:
        lines = f"# from threatexchange dataset -P\npdq {pdq_of(2)} 'FRA' POSITIVE_CLASS\n\n"
        lines += f"video_sha256 {SHA256}\n"
        self.assertEqual(self.post(self.alice, self.shared_bank.pk, lines).status_code, 201)
        hma = json.dumps({"id": 7, "signals": {"pdq": pdq_of(3), "video_md5": MD5}}) + "\n"
        r = self.post(self.alice, self.shared_bank.pk, hma)
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(
            self.held(),
            {("pdq", pdq_of(2)), ("sha256", SHA256), ("pdq", pdq_of(3)), ("md5", MD5)},
        )

    def test_a_bad_file_is_refused_whole_with_its_lines(self) -> None:
        text = f"pdq {pdq_of(4)}\npdq not-a-hash\ntmk 0123\npdq {pdq_of(4)}\nlonely\n"
        r = self.post(self.alice, self.shared_bank.pk, text)
        self.assertEqual(r.status_code, 400)
        errors = r.json()["errors"]
        self.assertEqual(
            [e.split(":")[0] for e in errors], ["line 2", "line 3", "line 4", "line 5"]
        )
        self.assertIn("unknown signal type tmk", errors[1])
        self.assertIn("the same hash as line 1", errors[2])
        self.assertEqual(self.held(), set())  # line 1 was good, and is not written either
        self.assertFalse(AuditEvent.objects.filter(action="hashes.signal.import").exists())

    def test_refusals_are_in_the_callers_language_after_line_n(self) -> None:
        r = self.post(self.alice, self.shared_bank.pk, "tmk 0123\n", language="fr")
        self.assertEqual(r.json()["errors"], ["line 1: type de signal inconnu tmk."])

    def test_bad_json_line_and_a_hash_already_banked(self) -> None:
        self.contribute(self.alice, self.shared_bank, pdq_of(5))
        text = json.dumps({"signals": {"pdq": pdq_of(5)}}) + "\n{oops\n"
        r = self.post(self.alice, self.shared_bank.pk, text)
        self.assertEqual(r.status_code, 400)
        self.assertEqual(
            r.json()["errors"],
            ["line 1: This hash is already in this bank.", "line 2: not a JSON object."],
        )

    def test_empty_undecodable_and_unlabelled_files_are_refused(self) -> None:
        self.assertEqual(
            self.post(self.alice, self.shared_bank.pk, "\n# nothing\n").status_code, 400
        )
        r = self.post(self.alice, self.shared_bank.pk, b"\xff\xfe\x00pdq")
        self.assertEqual(r.status_code, 400)
        self.assertIn("UTF-8", r.json()["detail"])
        r = self.post(self.alice, self.shared_bank.pk, f"pdq {pdq_of(6)}\n", legal_basis=" ")
        self.assertEqual(r.status_code, 400)
        r = self.post(self.alice, self.shared_bank.pk, f"pdq {pdq_of(6)}\n", category="NEWS")
        self.assertEqual(r.status_code, 422)
        self.assertEqual(self.held(), set())

    def test_refusals_by_who_asks(self) -> None:
        text = f"pdq {pdq_of(7)}\n"
        self.assertEqual(self.post(None, self.shared_bank.pk, text).status_code, 401)
        # France cannot see KEN's AMBER bank, shared with nobody: as if it did not exist.
        self.assertEqual(self.post(self.alice, self.ken_bank.pk, text).status_code, 404)
        self.assertEqual(self.post(self.alice, 999_999, text).status_code, 404)
        # Oversight reads no content and contributes none: the wrong role.
        self.assertEqual(self.post(self.olga, self.shared_bank.pk, text).status_code, 403)
        # GREEN reaches the member community, not civil society: it cannot see the bank.
        self.assertEqual(self.post(self.cso, self.shared_bank.pk, text).status_code, 404)
        self.assertEqual(self.held(), set())
        self.assertFalse(Signal.objects.filter(bank=self.ken_bank).exists())


class ImportPageTests(HashesTestCase):
    """The same import from the bank page, for people who do not script the API."""

    def post(self, text: bytes, **form):
        fields = {f"import-{k}": v for k, v in {**FORM, **form}.items()}
        return self.client.post(
            f"/hashes/banks/{self.shared_bank.pk}/import/",
            {"import-file": _named(text, "export.txt"), **fields},
        )

    def held(self) -> set[str]:
        return set(Signal.objects.filter(bank=self.shared_bank).values_list("value", flat=True))

    def test_the_bank_page_imports_a_file_and_says_how_many(self) -> None:
        self.login(self.alice)
        page = self.client.get(f"/hashes/banks/{self.shared_bank.pk}/")
        self.assertContains(page, 'id="import-form"')
        text = f"pdq {pdq_of(11)}\npdq {pdq_of(12)}\n".encode()
        response = self.post(text)
        self.assertRedirects(
            response, f"/hashes/banks/{self.shared_bank.pk}/", fetch_redirect_response=False
        )
        self.assertEqual(self.held(), {pdq_of(11), pdq_of(12)})
        followed = self.client.get(f"/hashes/banks/{self.shared_bank.pk}/")
        self.assertContains(followed, "2 hashes imported.")

    def test_a_bad_file_shows_its_lines_and_writes_nothing(self) -> None:
        self.login(self.alice)
        response = self.post(f"pdq {pdq_of(13)}\npdq not-a-hash\n".encode())
        self.assertContains(response, "line 2:", status_code=400)
        self.assertEqual(self.held(), set())
        self.assertContains(self.post(b"\xff\xfe\x00pdq"), "not UTF-8", status_code=400)
        self.assertContains(self.post(b"pdq x\n", legal_basis=""), "required", status_code=400)
        before = AuditEvent.objects.filter(action="hashes.signal.import").count()
        self.assertEqual(before, 0)

    def test_an_oversized_file_is_refused_unread(self) -> None:
        from unittest import mock

        from ctnet.hashes import imports

        self.login(self.alice)
        with mock.patch.object(imports, "MAX_IMPORT_BYTES", 10):
            response = self.post(f"pdq {pdq_of(14)}\n".encode())
        self.assertContains(response, "too large", status_code=413)
        self.assertEqual(self.held(), set())

    def test_who_may_import_from_the_page(self) -> None:
        text = f"pdq {pdq_of(15)}\n".encode()
        anonymous = self.post(text)
        self.assertEqual(anonymous.status_code, 302)
        self.assertIn("/login/", anonymous["Location"])
        self.login(self.olga)  # oversight contributes nothing: the wrong role
        self.assertEqual(self.post(text).status_code, 403)
        self.assertEqual(self.held(), set())
        # The platform the bank is shared with may contribute, so it is offered the import too.
        self.login(self.pat)
        page = self.client.get(f"/hashes/banks/{self.shared_bank.pk}/")
        self.assertContains(page, 'id="import-form"')
