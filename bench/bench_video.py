"""Benchmark of video hashing (vPDQ): speed at 720p, recall on copies, matching against a bank.

    .venv/bin/python bench/bench_video.py            # as in docs/benchmarks.md
    .venv/bin/python bench/bench_video.py --quick    # smaller, for a look

Every video is made here from seeded synthetic scenes (``synthetic_video``) and encoded by the
system's ffmpeg; copies are made from the encoded file the way a re-upload is (re-encoded with
another codec, resized to half width, trimmed to its middle 40 %). Three parts:

1. Hashing speed of a 720p (1280x720, 30 fps) H.264 video through vpdq: frames decoded per second
   at vPDQ's one hash a second, and frames hashed per second when every frame is hashed; with
   1 thread and with 2.
2. Recall: banked videos against their copies and against distinct videos (false matches).
3. Matching: ``VideoIndex`` (per-frame PDQ index) against brute-force comparison of every frame
   with every banked frame (``compare_videos`` for each banked video, HMA's brute-force matcher
   vectorised), same process, one thread, on a bank of synthetic frame hashes, with the same
   answers checked.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import vpdq

from ctnet.hashes.engine.signals import PdqSignal, VpdqFrame
from ctnet.hashes.engine.synthetic_video import transform, write_video
from ctnet.hashes.engine.video import hash_video_file
from ctnet.hashes.engine.video_index import VideoIndex, compare_videos


def hashing_speed(folder: Path, seconds: float) -> None:
    fps = 30
    path = write_video(
        folder / "720p.mp4", seed=720, seconds=seconds, width=1280, height=720, fps=fps
    )
    frames = int(seconds * fps)
    print(f"\n1. hashing speed: 1280x720 H.264, {seconds:g} s at {fps} fps = {frames} frames")
    for threads in (1, 2):
        start = time.perf_counter()
        features = vpdq.computeHash(str(path), seconds_per_hash=1.0, thread_count=threads)
        one_a_second = time.perf_counter() - start
        start = time.perf_counter()
        every = vpdq.computeHash(str(path), seconds_per_hash=0.0, thread_count=threads)
        every_frame = time.perf_counter() - start
        print(
            f"   {threads} thread(s): one hash a second ({len(features)} hashes) "
            f"{frames / one_a_second:7.0f} frames decoded/s ({seconds / one_a_second:5.1f}x "
            f"real time); every frame hashed ({len(every)}) {len(every) / every_frame:6.0f} "
            "frames/s"
        )


def recall(folder: Path, banked: int, distinct: int, seconds: float) -> None:
    print(
        f"\n2. recall: {banked} banked videos of {seconds:g} s (320x240, 15 fps), copies of each,"
    )
    print(f"   and {distinct} distinct videos")
    size = {"width": 320, "height": 240, "fps": 15, "seconds": seconds}
    originals = [write_video(folder / f"b{i}.mp4", seed=1000 + i, **size) for i in range(banked)]
    bank = [(i, list(hash_video_file(p).frames)) for i, p in enumerate(originals)]
    index = VideoIndex.build(bank)
    copies = {
        "re-encoded (MPEG-4 part 2)": lambda src, dst: transform(
            src, dst.with_suffix(".avi"), codec="mpeg4"
        ),
        "re-encoded (VP9, CRF 45)": lambda src, dst: transform(
            src, dst.with_suffix(".webm"), codec="libvpx-vp9", crf=45
        ),
        "resized to 160x120": lambda src, dst: transform(src, dst, width=160, crf=30),
        "trimmed to the middle 40 %": lambda src, dst: transform(
            src, dst, start=seconds * 0.3, seconds=seconds * 0.4, crf=30
        ),
    }
    for label, make in copies.items():
        found = wrong = 0
        percents = []
        for i, source in enumerate(originals):
            copy = make(source, folder / f"copy-{i}.mp4")
            hits = index.query(list(hash_video_file(copy).frames))
            found += any(h.signal_id == i for h in hits)
            wrong += any(h.signal_id != i for h in hits)
            percents += [h.query_percent for h in hits if h.signal_id == i]
        mean = np.mean(percents) if percents else 0.0
        print(
            f"   {label:28s} recall {found}/{banked} = {found / banked:.2f}, "
            f"mean query match {mean:5.1f} %, wrong videos matched {wrong}"
        )
    false = 0
    for j in range(distinct):
        other = write_video(folder / f"d{j}.mp4", seed=5000 + j, **size)
        false += bool(index.query(list(hash_video_file(other).frames)))
    print(f"   distinct videos matched (false matches): {false}/{distinct}")


def _synthetic_bank(rng: np.random.Generator, videos: int, frames: int) -> list[list[VpdqFrame]]:
    hashes = rng.integers(0, 256, size=(videos * frames, 32), dtype=np.uint8)
    rows = [PdqSignal.from_bytes(h) for h in hashes]
    return [
        [VpdqFrame(rows[v * frames + f], 90, float(f)) for f in range(frames)]
        for v in range(videos)
    ]


def _noisy_copy(rng: np.random.Generator, frames: list[VpdqFrame], bits: int) -> list[VpdqFrame]:
    hashes = np.unpackbits(PdqSignal.to_bytes([f.pdq for f in frames]), axis=1)
    for row in hashes:
        row[rng.choice(256, size=bits, replace=False)] ^= 1
    packed = np.packbits(hashes, axis=1)
    return [
        VpdqFrame(PdqSignal.from_bytes(h), 90, f.timestamp)
        for h, f in zip(packed, frames, strict=True)
    ]


def matching(videos: int, frames: int, queries: int) -> int:
    rng = np.random.default_rng(42)
    bank = _synthetic_bank(rng, videos, frames)
    print(f"\n3. matching: {videos:,} banked videos x {frames} frames = {videos * frames:,} frames")
    start = time.perf_counter()
    index = VideoIndex.build(enumerate(bank))
    print(f"   index build {time.perf_counter() - start:.2f} s")
    picked = rng.choice(videos, size=queries, replace=False)
    # Half copies (every frame 8-20 bits away, trimmed to half), half unrelated videos.
    batch = []
    for n, v in enumerate(picked):
        if n % 2:
            batch.append((-1, _synthetic_bank(rng, 1, frames)[0]))
        else:
            copy = _noisy_copy(rng, bank[v][: frames // 2], int(rng.integers(8, 21)))
            batch.append((int(v), copy))
    start = time.perf_counter()
    indexed = [index.query(q) for _v, q in batch]
    index_s = (time.perf_counter() - start) / len(batch)
    start = time.perf_counter()
    brute = []
    for _v, query in batch:
        results = [(i, compare_videos(query, frames_)) for i, frames_ in enumerate(bank)]
        brute.append([i for i, r in results if r.is_match])
    brute_s = (time.perf_counter() - start) / len(batch)
    same = all([h.signal_id for h in got] == want for got, want in zip(indexed, brute, strict=True))
    found = sum(
        any(h.signal_id == v for h in got)
        for (v, _q), got in zip(batch, indexed, strict=True)
        if v >= 0
    )
    print(
        f"   VideoIndex {index_s * 1000:8.2f} ms/query; brute force {brute_s * 1000:8.1f} ms/query;"
        f" {brute_s / index_s:6.0f}x faster; same answers: {same}; "
        f"copies found {found}/{sum(v >= 0 for v, _q in batch)}"
    )
    return 0 if same else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ctnet-bench-video-") as name:
        folder = Path(name)
        hashing_speed(folder, 10 if args.quick else 30)
        recall(folder, 10 if args.quick else 30, 10 if args.quick else 30, 10)
        if args.quick:
            return matching(500, 60, 20)
        return matching(5_000, 60, 40)


if __name__ == "__main__":
    sys.exit(main())
