"""Video banks: a platform uploads a re-encoded copy of a banked video and gets the possible
match with its labels; refusals of bad videos store nothing."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

from django.test import override_settings

from ctnet.core.models import AuditEvent
from ctnet.hashes.engine.signals import VpdqSignal
from ctnet.hashes.engine.synthetic_video import transform, write_video
from ctnet.hashes.engine.video import hash_video_file
from ctnet.hashes.models import Signal
from ctnet.hashes.tests.helpers import HashesTestCase, _named

_FOLDER = Path(tempfile.mkdtemp(prefix="ctnet-video-test-"))


@cache
def video(name: str) -> bytes:
    """Seeded 4-second videos and copies, made once per test process."""
    original = _FOLDER / "original.mp4"
    if not original.exists():
        write_video(original, seed=11, seconds=4)
    made = {
        "original": lambda: original,
        "distinct": lambda: write_video(_FOLDER / "distinct.mp4", seed=12, seconds=4),
        "reencoded": lambda: transform(original, _FOLDER / "copy.mp4", width=128, crf=36),
    }
    return made[name]().read_bytes()


@cache
def vpdq_of(name: str) -> str:
    path = _FOLDER / f"{name}.hashed"
    path.write_bytes(video(name))
    return hash_video_file(path).vpdq


class VideoMatchTests(HashesTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # KEN's quick-sharing bank, shared with the platform so that it matches at once.
        cls.ken_bank.recipient_orgs.set([cls.tech_org])
        cls.signal = cls.contribute(
            cls.charlie,
            cls.ken_bank,
            vpdq_of("original"),
            signal_type="vpdq",
            behaviour="attack livestream",
            incident="2019 attack",
        )

    def test_platform_uploads_a_reencoded_copy_on_the_page_and_sees_the_labels(self) -> None:
        self.login(self.pat)
        copy = video("reencoded")
        self.assertNotEqual(copy, video("original"))
        response = self.client.post("/hashes/", {"file": _named(copy, "copy.mp4")})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "1 possible match")
        self.assertContains(response, "attack livestream")
        self.assertContains(response, "QDe.115")
        self.assertContains(response, "100% of your video")
        other = self.client.post("/hashes/", {"file": _named(video("distinct"), "other.mp4")})
        self.assertContains(other, "No match in the banks shared with you.")
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.match_count, 1)

    def test_api_hash_then_match_with_percentages_and_feed(self) -> None:
        hashed = self.upload("/hashes/hash", self.pat, video("reencoded"), "copy.mp4")
        self.assertEqual(hashed.status_code, 200, hashed.content)
        body = hashed.json()
        self.assertIsNone(body["pdq"])
        self.assertEqual(body["vpdq_frames"], 4)
        self.assertAlmostEqual(body["duration"], 4.0, delta=0.2)
        query = {"queries": [{"signal_type": "vpdq", "value": body["vpdq"]}]}
        [result] = self.api("POST", "/hashes/match", self.pat, query).json()["results"]
        [match] = result["matches"]
        self.assertEqual(match["id"], self.signal.pk)
        self.assertEqual((match["query_match_percent"], match["distance"]), (100.0, 0))
        self.assertEqual(match["labels"]["behaviour"], "attack livestream")
        self.assertEqual(match["value"], vpdq_of("original"))  # the frames, as HMA reads them
        distinct = {"queries": [{"signal_type": "vpdq", "value": vpdq_of("distinct")}]}
        [miss] = self.api("POST", "/hashes/match", self.pat, distinct).json()["results"]
        self.assertEqual(miss["matches"], [])
        # The feed carries the whole hash, so a platform's HMA can load it.
        feed = self.api("GET", "/hashes/feed", self.pat).json()
        [item] = [i for i in feed["items"] if i.get("id") == self.signal.pk]
        self.assertEqual((item["signal_type"], item["value"]), ("vpdq", vpdq_of("original")))

    def test_another_state_does_not_match_a_bank_it_cannot_see(self) -> None:
        query = {"queries": [{"signal_type": "vpdq", "value": vpdq_of("reencoded")}]}
        [result] = self.api("POST", "/hashes/match", self.alice, query).json()["results"]
        self.assertEqual(result["matches"], [])

    def test_contribute_a_video_upload_and_the_same_video_again(self) -> None:
        self.login(self.alice)
        path = f"/hashes/banks/{self.shared_bank.pk}/contribute/"
        form = {"category": "ATTACK_FOOTAGE", "legal_basis": "Loi 2015-912"}
        response = self.client.post(path, {**form, "file": _named(video("distinct"), "d.webm")})
        self.assertEqual(response.status_code, 302, response.content)
        signal = Signal.objects.get(bank=self.shared_bank, signal_type="vpdq")
        self.assertEqual(signal.hash_value, vpdq_of("distinct"))
        self.assertEqual(len(signal.value), 64)  # the SHA-256 standing for it
        page = self.client.get(f"/hashes/signals/{signal.pk}/")
        self.assertContains(page, "vPDQ frames")
        again = self.client.post(path, {**form, "file": _named(video("distinct"), "d.mp4")})
        self.assertContains(again, "already in this bank", status_code=400)
        pasted = self.client.post(path, {**form, "signal_type": "vpdq", "value": "[1, 2]"})
        self.assertContains(pasted, "This is not a vPDQ hash", status_code=400)
        body = {"signal_type": "vpdq", "value": json.dumps(["x"]), **form}
        api = self.api("POST", f"/hashes/banks/{self.shared_bank.pk}/signals", self.alice, body)
        self.assertEqual(api.status_code, 400)
        self.assertEqual(Signal.objects.filter(bank=self.shared_bank).count(), 1)


class VideoRefusalTests(HashesTestCase):
    def _refused(self, data: bytes, name: str, status: int, message: str) -> None:
        before = (Signal.objects.count(), AuditEvent.objects.count())
        response = self.upload("/hashes/hash", self.pat, data, name)
        self.assertEqual(response.status_code, status, response.content)
        self.assertIn(message, response.json()["detail"])
        self.login(self.alice, self.client)
        path = f"/hashes/banks/{self.shared_bank.pk}/contribute/"
        form = {"category": "ATTACK_FOOTAGE", "legal_basis": "Loi 2015-912"}
        page = self.client.post(path, {**form, "file": _named(data, name)})
        self.assertContains(page, message, status_code=status)
        self.client.logout()
        self.assertEqual(Signal.objects.count(), before[0])
        self.assertFalse(AuditEvent.objects.filter(action="hashes.signal.contribute").exists())

    def test_a_file_that_is_not_a_video(self) -> None:
        self._refused(b"plain text, not a video", "clip.mp4", 400, "This file is not a video.")

    def test_a_video_the_decoder_cannot_open(self) -> None:
        self._refused(video("original")[:3000], "cut.mp4", 400, "The video cannot be decoded")

    def test_frames_the_decoder_fails_on(self) -> None:
        data = bytearray(video("original"))
        start = data.find(b"mdat") + 4
        end = start + (len(data) - start) // 2
        data[start:end] = bytes(end - start)  # the packets zeroed, the container intact
        self._refused(bytes(data), "zeroed.mp4", 400, "The video cannot be decoded")

    @override_settings(HASHES_MAX_VIDEO_SECONDS=2)
    def test_a_video_over_the_duration_limit(self) -> None:
        self._refused(video("original"), "long.mp4", 413, "longer than 2 seconds")

    @override_settings(HASHES_MAX_VIDEO_BYTES=2048)
    def test_a_video_over_the_size_limit(self) -> None:
        self._refused(video("original"), "big.mp4", 413, "larger than 0.0 MB")

    def test_anonymous_and_wrong_role(self) -> None:
        self.assertEqual(self.upload("/hashes/hash", None, video("original")).status_code, 401)
        self.assertEqual(
            self.upload("/hashes/hash", self.olga, video("original"), "v.mp4").status_code, 403
        )


def test_vpdq_of_is_a_valid_signal() -> None:
    assert VpdqSignal.validate(vpdq_of("original")) == vpdq_of("original")
