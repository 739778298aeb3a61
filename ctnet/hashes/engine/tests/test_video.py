"""Video hashing through vpdq and the system's FFmpeg, on small seeded videos made here."""

import csv
import json
import subprocess

import pytest

from ctnet.hashes.engine.cli import hash_main, match_main
from ctnet.hashes.engine.errors import NotAVideo, UndecodableVideo, VideoTooLarge
from ctnet.hashes.engine.signals import VpdqSignal
from ctnet.hashes.engine.synthetic_video import DEFAULT_FFMPEG, transform, write_video
from ctnet.hashes.engine.video import VideoLimits, hash_video_file, looks_like_video
from ctnet.hashes.engine.video_index import VideoIndex, compare_videos


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("videos")
    original = write_video(folder / "original.mp4", seed=1, seconds=4)
    return {
        "original": original,
        "distinct": write_video(folder / "distinct.mp4", seed=2, seconds=4),
        "reencoded": transform(original, folder / "reencoded.avi", codec="mpeg4"),
        "resized": transform(original, folder / "resized.webm", width=96, codec="libvpx-vp9"),
        "trimmed": transform(original, folder / "trimmed.mp4", start=1.0, seconds=2.0, crf=35),
    }


@pytest.fixture(scope="module")
def hashed(videos):
    return {name: hash_video_file(path) for name, path in videos.items()}


def test_one_frame_a_second_with_digests(hashed, videos):
    original = hashed["original"]
    assert [f.timestamp for f in original.frames] == [0.0, 1.0, 2.0, 3.0]
    assert all(f.quality >= 50 for f in original.frames)
    assert original.duration == pytest.approx(4.0, abs=0.2)
    assert VpdqSignal.validate(original.vpdq) == original.vpdq
    assert len(original.sha256) == 64 and original.sha256 != hashed["reencoded"].sha256


def test_copies_match_their_original_and_a_distinct_video_does_not(hashed):
    banked = list(hashed["original"].frames)
    for name in ("reencoded", "resized", "trimmed"):
        result = compare_videos(list(hashed[name].frames), banked)
        assert result.is_match, (name, result)
        assert result.query_percent == 100
    trimmed = compare_videos(list(hashed["trimmed"].frames), banked)
    assert trimmed.compared_percent == 50  # two of its four seconds
    distinct = compare_videos(list(hashed["distinct"].frames), banked)
    assert not distinct.is_match and distinct.query_percent == 0
    index = VideoIndex.build([(1, banked), (2, list(hashed["distinct"].frames))])
    assert [h.signal_id for h in index.query(list(hashed["resized"].frames))] == [1]


def test_refusals(tmp_path, videos):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all", encoding="utf-8")
    with pytest.raises(NotAVideo):
        hash_video_file(text)
    audio = tmp_path / "sound.mp4"
    subprocess.run(
        [DEFAULT_FFMPEG, "-v", "error", "-f", "lavfi", "-i", "sine=duration=1", str(audio)],
        check=True,
        timeout=60,
    )
    with pytest.raises(NotAVideo, match="no video stream"):
        hash_video_file(audio)
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(videos["original"].read_bytes()[:3000])
    with pytest.raises(UndecodableVideo):
        hash_video_file(truncated)
    with pytest.raises(VideoTooLarge, match="over the limit of 2 s") as caught:
        hash_video_file(videos["original"], limits=VideoLimits(max_seconds=2))
    assert caught.value.limit == "duration"
    with pytest.raises(VideoTooLarge) as caught:
        hash_video_file(videos["original"], limits=VideoLimits(max_seconds=60, max_pixels=100))
    assert caught.value.limit == "pixels"


def test_frames_the_decoder_cannot_decode(tmp_path, videos):
    """The container is sound (ffprobe counts its packets) but the packets are garbage."""
    good = transform(videos["original"], tmp_path / "fast.mp4", crf=30)
    data = bytearray(good.read_bytes())
    start = data.find(b"mdat") + 4
    end = start + (len(data) - start) // 2
    data[start:end] = bytes(end - start)
    broken = tmp_path / "garbage.mp4"
    broken.write_bytes(bytes(data))
    with pytest.raises(UndecodableVideo, match="the decoder failed on its frames"):
        hash_video_file(broken)


def test_looks_like_video_by_bytes_name_or_type(videos):
    head = videos["original"].read_bytes()[:512]
    assert looks_like_video("upload", head)
    assert looks_like_video("clip.MOV", b"junk")
    assert looks_like_video("upload", b"junk", "video/mp4")
    assert not looks_like_video("photo.jpg", b"\xff\xd8\xff\xe0", "image/jpeg")


def test_ctnet_hash_video_json_and_match(videos, tmp_path, capsys):
    status = hash_main([str(videos["original"]), str(videos["trimmed"]), "--json"])
    out, _err = capsys.readouterr()
    assert status == 0
    original, trimmed = (json.loads(line) for line in out.splitlines())
    assert original["pdq"] is None and original["vpdq_frames"] == 4
    assert len(VpdqSignal.parse(original["vpdq"])) == 4
    bank = tmp_path / "bank.csv"
    queries = tmp_path / "queries.csv"
    out_csv = tmp_path / "out.csv"
    _write_csv(bank, [("v1", "vpdq", original["vpdq"]), ("s1", "sha256", original["sha256"])])
    _write_csv(queries, [("q1", "vpdq", trimmed["vpdq"]), ("q2", "sha256", original["sha256"])])
    assert match_main(["--bank", str(bank), "--queries", str(queries), "--out", str(out_csv)]) == 0
    rows = out_csv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "query_id,bank_id,signal_type,distance"
    assert sorted(rows[1:]) == ["q1,v1,vpdq,0", "q2,s1,sha256,0"]
    assert hash_main([str(videos["original"])]) == 0
    assert "vpdq: 4 frames" in capsys.readouterr().out


def _write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(["id", "signal_type", "value"])
        writer.writerows(rows)
