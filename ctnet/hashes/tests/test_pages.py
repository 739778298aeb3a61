from __future__ import annotations

from datetime import timedelta

from ctnet import ratelimits
from ctnet.hashes import services
from ctnet.hashes.tests.helpers import HashesTestCase, _named, image_bytes, pdq_of, recompressed


class MatchPageTests(HashesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.signal = cls.contribute(cls.pat, cls.shared_bank, pdq_of(20), entity="QDe.004")
        services.confirm_signal(acting_user=cls.alice, signal=cls.signal)

    def test_platform_member_uploads_and_sees_the_match(self) -> None:
        # How fast is measured in bench/, not asserted here: a loaded CI machine must not fail it.
        self.login(self.pat)
        response = self.client.post("/hashes/", {"file": _named(recompressed(20), "copy.jpg")})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "1 possible match")
        self.assertContains(response, "QDe.004")
        self.assertContains(response, "FRA (en)")  # the confirming organisation vouched
        other = self.client.post("/hashes/", {"file": _named(image_bytes(21), "other.jpg")})
        self.assertContains(other, "No match in the banks shared with you.")

    def test_a_turned_or_flipped_copy_is_matched_too(self) -> None:
        import io

        from PIL import Image

        self.login(self.pat)
        image = Image.open(io.BytesIO(image_bytes(20))).convert("RGB")
        for turn in (Image.Transpose.ROTATE_90, Image.Transpose.FLIP_LEFT_RIGHT):
            out = io.BytesIO()
            image.transpose(turn).save(out, "JPEG", quality=85)
            response = self.client.post("/hashes/", {"file": _named(out.getvalue(), "t.jpg")})
            self.assertContains(response, "1 possible match")
            self.assertContains(response, "matched as a rotated or mirrored copy")
        # The original itself matches as itself.
        plain = self.client.post("/hashes/", {"file": _named(image_bytes(20), "p.jpg")})
        self.assertContains(plain, "1 possible match")
        self.assertNotContains(plain, "rotated or mirrored")

    def test_bad_upload_is_400_on_the_page(self) -> None:
        self.login(self.pat)
        response = self.client.post("/hashes/", {"file": _named(image_bytes(20)[:1500], "x.jpg")})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "cannot be decoded", status_code=400)

    def test_page_uploads_share_the_api_allowance(self) -> None:
        from unittest import mock

        from ctnet.core import ratelimit

        self.login(self.pat)
        tight = ratelimit.Rule("hash-queries-user", capacity=1, per=timedelta(hours=1))
        with mock.patch.object(ratelimits, "HASH_QUERIES_PER_USER", tight):
            first = self.client.post("/hashes/", {"file": _named(image_bytes(21), "a.jpg")})
            second = self.client.post("/hashes/", {"file": _named(image_bytes(21), "a.jpg")})
        self.assertEqual(first.status_code, 200)
        self.assertEqual(second.status_code, 429)
        self.assertContains(second, "Too many hashing", status_code=429)

    def test_opinion_from_the_signal_page(self) -> None:
        self.login(self.charlie)
        path = f"/hashes/signals/{self.signal.pk}/"
        self.assertContains(self.client.get(path), "QDe.004")
        response = self.client.post(f"{path}opinion/", {"agrees": "0", "reason": "old footage"})
        self.assertRedirects(response, path)
        self.assertContains(self.client.get(path), "old footage")
        self.assertEqual(self.client.post(f"{path}opinion/", {"agrees": "0"}).status_code, 400)

    def test_refusals(self) -> None:
        self.assertEqual(self.client.get("/hashes/").status_code, 302)  # to the login page
        self.login(self.olga)
        self.assertEqual(self.client.get("/hashes/").status_code, 403)
        self.assertEqual(self.client.get("/hashes/transparency/").status_code, 200)
        self.client.logout()
        self.login(self.cso)
        self.assertEqual(self.client.get(f"/hashes/signals/{self.signal.pk}/").status_code, 404)
        self.assertEqual(self.client.put("/hashes/").status_code, 405)
        self.assertEqual(
            self.client.get(f"/hashes/signals/{self.signal.pk}/opinion/").status_code, 405
        )
