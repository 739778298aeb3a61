"""IATI 2.03: the export validates against the official schema; imports are all or nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from ctnet.monitoring import iati
from ctnet.monitoring.models import Period, Project
from ctnet.monitoring.tests.helpers import MonitoringTestCase


class IatiTests(MonitoringTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.project = self.make_project()
        self.indicator = self.make_indicator(self.project["id"])
        period = self.make_period(
            self.indicator["id"], target_dimensions=[{"dims": {"sex": "female"}, "value": "25"}]
        )
        update = self.ok(
            "POST",
            f"/monitoring/periods/{period['id']}/updates",
            self.sam,
            {
                "value": "30",
                "disaggregations": [{"dims": {"sex": "female", "age": "18-34"}, "value": "12"}],
            },
        )
        self.ok("POST", f"/monitoring/updates/{update['id']}/submit", self.sam, status=200)
        self.ok("POST", f"/monitoring/updates/{update['id']}/approve", self.una, {}, status=200)
        pct = self.make_indicator(self.project["id"], measure="2", dimensions={}, ascending=False)
        self.make_period(pct["id"], target_value="20")

    def export(self, user) -> bytes:
        response = self.api("GET", "/monitoring/iati.xml", user)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)  # never the whole document in memory
        return b"".join(response.streaming_content)

    def test_the_export_streams_a_chunk_of_projects_at_a_time_and_is_audited(self) -> None:
        from ctnet.core.models import AuditEvent
        from ctnet.monitoring.models import Project

        for i in range(iati.CHUNK + 1):
            self.make_project(iati_identifier=f"XI-CTNET-UNOCT-S{i}")
        ids = iati.export_ids(Project.objects.all())
        parts = list(iati.iter_export(ids))
        # The declaration and the first chunk, the second chunk, then the closing tag.
        self.assertEqual(len(parts), 3)
        self.assertEqual(parts[1].count(b"<iati-activity "), len(ids) - iati.CHUNK)
        self.assertTrue(iati.schema().validate(etree.fromstring(b"".join(parts))))
        self.page_download_is_audited(AuditEvent)

    def page_download_is_audited(self, events) -> None:
        self.login(self.sam)
        response = self.client.get("/monitoring/iati.xml")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        body = b"".join(response.streaming_content)
        event = events.objects.filter(action="monitoring.iati.export", actor=self.sam).last()
        self.assertEqual(event.detail["projects"], body.count(b"<iati-activity "))

    def test_export_is_valid_against_the_official_schema(self) -> None:
        data = self.export(self.sam)
        doc = etree.fromstring(data)
        schema = iati.schema()
        self.assertTrue(schema.validate(doc), schema.error_log)
        activity = doc.find("iati-activity")
        self.assertEqual(activity.findtext("iati-identifier"), "XI-CTNET-UNOCT-T1")
        self.assertEqual(activity.find("recipient-country").get("code"), "KE")
        actual = activity.find("result/indicator/period/actual")
        self.assertEqual(actual.get("value"), "30")
        dims = activity.findall("result/indicator/period/actual/dimension")
        self.assertEqual(
            {(d.get("name"), d.get("value")) for d in dims}, {("sex", "female"), ("age", "18-34")}
        )
        self.assertEqual(activity.findall("result/indicator")[1].get("ascending"), "0")
        # The schema really refuses: the same document without its identifier is invalid.
        activity.remove(activity.find("iati-identifier"))
        self.assertFalse(schema.validate(doc))

    def test_export_holds_only_what_the_person_sees(self) -> None:
        self.assertNotIn(b"XI-CTNET-UNOCT-T1", self.export(self.alice))
        self.assertIn(b"XI-CTNET-UNOCT-T1", self.export(self.charlie))
        self.assertEqual(self.api("GET", "/monitoring/iati.xml").status_code, 401)

    def upload(self, user, data: bytes):
        headers = {"Authorization": f"Bearer {self.token_for(user)}"}
        upload = SimpleUploadedFile("activities.xml", data, content_type="application/xml")
        return self.client.post("/api/v1/monitoring/iati", {"file": upload}, headers=headers)

    def test_round_trip_import(self) -> None:
        data = self.export(self.sam).replace(b"XI-CTNET-UNOCT-T1", b"XI-CTNET-UNOCT-T2")
        response = self.upload(self.una, data)
        self.assertEqual(response.status_code, 201, response.content)
        copy = Project.objects.get(iati_identifier="XI-CTNET-UNOCT-T2")
        self.assertEqual(copy.countries, ["KEN"])
        self.assertEqual(Period.objects.filter(indicator__result__project=copy).count(), 2)
        # Actuals enter only through approved updates.
        self.assertFalse(
            Period.objects.filter(indicator__result__project=copy, has_actual=True).exists()
        )

    def test_import_errors_name_their_line_and_write_nothing(self) -> None:
        before = Project.objects.count()
        syntax = self.upload(
            self.sam,
            b'<?xml version="1.0"?>\n<iati-activities version="2.03">\n'
            b"<iati-activity>\n</iati-activities>",
        )
        self.assertEqual(syntax.status_code, 400)
        self.assertIn("line 4", syntax.json()["detail"])
        invalid = (
            self.export(self.sam)
            .replace(b"<iati-identifier>", b"<iati-identifer>", 1)
            .replace(b"</iati-identifier>", b"</iati-identifer>", 1)
        )
        response = self.upload(self.sam, invalid)
        self.assertEqual(response.status_code, 400)
        self.assertRegex(response.json()["errors"][0], r"^line \d+: ")
        # Valid XML whose second activity breaks a rule (the end before the start): nothing.
        two = self.export(self.sam).replace(b"XI-CTNET-UNOCT-T1", b"XI-CTNET-UNOCT-T3")
        root = etree.fromstring(two)
        second = etree.fromstring(etree.tostring(root.find("iati-activity")))
        second.find("iati-identifier").text = "XI-CTNET-UNOCT-T4"
        second.findall("activity-date")[1].set("iso-date", "2020-01-01")
        root.append(second)
        response = self.upload(
            self.sam,
            etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True),
        )
        self.assertEqual(response.status_code, 400, response.content)
        self.assertRegex(response.json()["detail"], r"line \d+: ")
        self.assertEqual(Project.objects.count(), before)

    def test_import_refuses_entities_and_other_reporters(self) -> None:
        bomb = (
            b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
            b'<iati-activities version="2.03">&a;</iati-activities>'
        )
        self.assertEqual(self.upload(self.sam, bomb).status_code, 400)
        foreign = self.export(self.sam).replace(
            b'ref="XI-CTNET-UNOCT" type="40">', b'ref="XI-CTNET-OTHER" type="40">', 1
        )
        response = self.upload(
            self.sam, foreign.replace(b"XI-CTNET-UNOCT-T1", b"XI-CTNET-UNOCT-T9")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("reporting organisation", response.json()["detail"])
        self.assertEqual(self.upload(self.alice, self.export(self.sam)).status_code, 403)
