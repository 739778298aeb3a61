"""Uploads of at-risk senders lose their metadata: a photo's GPS position is gone."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings
from PIL import Image

from ctnet.consultations.images import strip_metadata
from ctnet.consultations.models import Submission
from ctnet.consultations.tests.test_consultations import ConsultationTestCase

GPS_IFD = 0x8825
MAX = 5 * 1024 * 1024


def photo_with_gps(fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (33.0, 18.0, 54.0), 3: "E", 4: (44.0, 23.0, 10.0)})
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


class StripMetadataTests(SimpleTestCase):
    def test_the_source_photo_has_gps_and_the_stored_one_has_none(self) -> None:
        data = photo_with_gps()
        self.assertTrue(Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD))
        kind, clean = strip_metadata("image/jpeg", data, max_bytes=MAX)
        self.assertEqual(kind, "image/jpeg")
        stored = Image.open(io.BytesIO(clean))
        self.assertEqual(dict(stored.getexif()), {})
        self.assertFalse(stored.getexif().get_ifd(GPS_IFD))
        self.assertNotIn(b"Exif", clean)
        self.assertNotIn(b"PhoneMaker", clean)
        self.assertEqual(stored.size, (40, 30))

    def test_png_loses_its_exif_too(self) -> None:
        kind, clean = strip_metadata("image/png", photo_with_gps("PNG"), max_bytes=MAX)
        self.assertEqual(kind, "image/png")
        self.assertNotIn(b"eXIf", clean)
        self.assertNotIn(b"PhoneMaker", clean)

    def test_refusals(self) -> None:
        with self.assertRaises(ValidationError):
            strip_metadata("application/pdf", b"%PDF-1.4", max_bytes=MAX)
        with self.assertRaises(ValidationError):
            strip_metadata("image/jpeg", b"MZ\x90\x00 not an image", max_bytes=MAX)
        with self.assertRaises(ValidationError):
            strip_metadata("image/jpeg", b"\xff\xd8\xff broken", max_bytes=MAX)
        with self.assertRaises(ValidationError):
            strip_metadata("image/jpeg", photo_with_gps(), max_bytes=100)


class UploadThroughThePageTests(ConsultationTestCase):
    def test_at_risk_upload_is_stored_without_gps_and_an_oversized_one_writes_nothing(self) -> None:
        import tempfile
        from pathlib import Path

        data_dir = Path(tempfile.mkdtemp(prefix="ctnet-consult-"))
        c = self.open(at_risk=True)
        q = {x["kind"]: x["id"] for x in c["questions"]}
        self.login(self.cso)
        form = {"language": "fr", f"q{q['text']}": "Photo du centre fermé"}
        with override_settings(DATA_DIR=data_dir, CONSULTATIONS_MAX_UPLOAD_BYTES=100):
            big = io.BytesIO(photo_with_gps())
            big.name = "p.jpg"
            response = self.client.post(f"/consultations/{c['id']}/submit/", form | {"image": big})
            self.assertEqual(response.status_code, 400)
            self.assertEqual(Submission.objects.count(), 0)
        with override_settings(DATA_DIR=data_dir):
            photo = io.BytesIO(photo_with_gps())
            photo.name = "p.jpg"
            response = self.client.post(
                f"/consultations/{c['id']}/submit/", form | {"image": photo}
            )
            self.assertEqual(response.status_code, 200)
        s = Submission.objects.get()
        stored = (data_dir / "consultations" / s.attachment_digest).read_bytes()
        self.assertFalse(Image.open(io.BytesIO(stored)).getexif().get_ifd(GPS_IFD))
        self.assertNotIn(b"Exif", stored)
