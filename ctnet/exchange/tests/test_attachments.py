"""One download of an attachment, for the page and the API alike (``attachments.download``)."""

from __future__ import annotations

from unittest import mock

from ctnet.core.models import AuditEvent
from ctnet.exchange import attachments
from ctnet.exchange.attachments import NewFile
from ctnet.exchange.models import Attachment, Request
from ctnet.exchange.services import sending
from ctnet.exchange.tests.helpers import ExchangeTestCase, request_data

NOTE = b"entries: 2"


class AttachmentDownloadTests(ExchangeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.req = sending.send_request(
            acting_user=self.alice,
            recipients=[self.state_b],
            data=request_data(),
            files=[NewFile("note.txt", "text/plain", NOTE)],
        )
        self.att = Attachment.objects.get(request=self.req)

    def page(self, request: Request, attachment_id: int):
        return self.client.get(f"/exchange/requests/{request.pk}/files/{attachment_id}/")

    def api_get(self, request: Request, attachment_id: int, token: str):
        path = f"/exchange/requests/{request.pk}/attachments/{attachment_id}"
        return self.api("GET", path, self.charlie, token=token)

    def audit_rows(self, since: int) -> list[tuple]:
        return list(
            AuditEvent.objects.filter(pk__gt=since)
            .order_by("pk")
            .values_list("action", "actor_id", "object_type", "object_id")
        )

    def last_audit(self) -> int:
        return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def test_page_and_api_call_the_one_download(self) -> None:
        token = self.token_for(self.charlie)
        self.login(self.charlie)
        with mock.patch.object(attachments, "download", wraps=attachments.download) as spy:
            page = self.page(self.req, self.att.pk)
            api = self.api_get(self.req, self.att.pk, token)
        self.assertEqual(b"".join(page.streaming_content), NOTE)
        self.assertEqual(b"".join(api.streaming_content), NOTE)
        expected = mock.call(
            acting_user=self.charlie, request_id=self.req.pk, attachment_id=self.att.pk
        )
        self.assertEqual(spy.call_args_list, [expected, expected])
        for response in (page, api):
            self.assertEqual(response["Content-Type"], "text/plain")
            self.assertIn('attachment; filename="note.txt"', response["Content-Disposition"])

    def test_page_and_api_downloads_are_audited_alike(self) -> None:
        token = self.token_for(self.charlie)
        self.api("GET", f"/exchange/requests/{self.req.pk}", self.charlie, token=token)
        self.login(self.charlie)  # opened once already: the delivery receipt is not repeated
        since = self.last_audit()
        self.assertEqual(self.page(self.req, self.att.pk).status_code, 200)
        from_page = self.audit_rows(since)
        since = self.last_audit()
        self.assertEqual(self.api_get(self.req, self.att.pk, token).status_code, 200)
        from_api = self.audit_rows(since)
        # The AMBER request's read is audited, by either way in.
        self.assertEqual(
            from_page, [("read", self.charlie.pk, "exchange.request", str(self.req.pk))]
        )
        self.assertEqual(from_api, from_page)

    def test_a_download_is_no_delivery_receipt_on_either_way_in(self) -> None:
        # A GET changes nothing: a link from another site cannot confirm receipt.
        token = self.token_for(self.charlie)
        second = sending.send_request(
            acting_user=self.alice,
            recipients=[self.state_b],
            data=request_data(),
            files=[NewFile("note.txt", "text/plain", NOTE)],
        )
        self.login(self.charlie)
        self.assertEqual(self.page(self.req, self.att.pk).status_code, 200)
        other = Attachment.objects.get(request=second)
        self.assertEqual(self.api_get(second, other.pk, token).status_code, 200)
        for request in (self.req, second):
            self.assertEqual(request.deliveries.get().status, "sent")
        self.assertFalse(AuditEvent.objects.filter(action="exchange.request.delivered").exists())

    def test_outsider_gets_404_on_both_audited_alike(self) -> None:
        token = self.token_for(self.diego)
        self.login(self.diego)
        since = self.last_audit()
        self.assertEqual(self.page(self.req, self.att.pk).status_code, 404)
        from_page = self.audit_rows(since)
        since = self.last_audit()
        path = f"/exchange/requests/{self.req.pk}/attachments/{self.att.pk}"
        self.assertEqual(self.api("GET", path, self.diego, token=token).status_code, 404)
        from_api = self.audit_rows(since)
        denied = ("exchange.denied", self.diego.pk, "exchange.request", str(self.req.pk))
        self.assertEqual(from_page, [denied])
        self.assertEqual(from_api, [denied])

    def test_an_attachment_of_another_request_is_404_on_both(self) -> None:
        token = self.token_for(self.charlie)
        other = self.send()  # another request to the same recipient, without files
        self.login(self.charlie)
        self.assertEqual(self.page(other, self.att.pk).status_code, 404)
        self.assertEqual(self.api_get(other, self.att.pk, token).status_code, 404)
        denied = AuditEvent.objects.filter(
            action="exchange.denied", object_type="exchange.attachment", object_id=str(self.att.pk)
        )
        self.assertEqual(denied.count(), 2)

    def test_anonymous_and_wrong_method(self) -> None:
        response = self.page(self.req, self.att.pk)
        self.assertEqual(response.status_code, 302)
        path = f"/exchange/requests/{self.req.pk}/attachments/{self.att.pk}"
        self.assertEqual(self.api("GET", path).status_code, 401)
        self.login(self.charlie)
        url = f"/exchange/requests/{self.req.pk}/files/{self.att.pk}/"
        self.assertEqual(self.client.post(url).status_code, 405)
