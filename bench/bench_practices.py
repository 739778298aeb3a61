"""Benchmark of the practice library's search: quality, latency at scale, indexing throughput.

    .venv/bin/python bench/bench_practices.py              # full run: 100,000 practices
    .venv/bin/python bench/bench_practices.py --quick      # 10,000 practices

1. Quality on the demo library (ctnet/practices/data/demo_practices.jsonl, 48 practices) with the
   query set bench/practices_queries.jsonl (30 queries, five in each UN language, each with the
   practices a person judged relevant): recall@5 and MRR@10 for full-text alone, semantic alone
   and the hybrid ranking, and the ratio hybrid / full-text.
2. Indexing throughput: practices embedded per second, in batches (bulk import) and one by one
   (the background task's path).
3. Latency of the hybrid search (the code behind the API, visibility included) at --size
   practices: p50 and p95 over the query set. Synthetic practices are built from the demo set's
   vocabulary; their embeddings are those of a pool of real synthetic texts (the throughput
   sample) plus a little noise, so that 100,000 need not be embedded for each run.

Runs on a throw-away SQLite database in a temporary directory (DATABASE_URL is ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "practices_queries.jsonl"
POOL = 2000


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "CTNET_TESTING": "1",
            "CTNET_DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "ctnet.settings",
        }
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def make_people():  # type: ignore[no-untyped-def]
    from ctnet.core.models import Membership, Organisation, Role, User
    from ctnet.core.reference import load_reference_organisations

    load_reference_organisations()
    secretariat = User.objects.create_user("bench-sec", "s@example.org", "x" * 20)
    Membership.objects.create(
        user=secretariat, organisation=Organisation.objects.get(code="UNOCT"), role=Role.SECRETARIAT
    )
    reader = User.objects.create_user("bench-reader", "r@example.org", "x" * 20)
    Membership.objects.create(
        user=reader, organisation=Organisation.objects.get(code="KEN"), role=Role.OFFICER
    )
    return secretariat, reader


def quality(reader) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    from ctnet.practices.demo import demo_lines
    from ctnet.practices.models import Practice
    from ctnet.practices.search import search_practices

    ids = {p.title: p.pk for p in Practice.objects.all()}
    ref_ids = {json.loads(x)["ref"]: ids[json.loads(x)["title"]] for x in demo_lines()}
    queries = [json.loads(x) for x in QUERIES.read_text(encoding="utf-8").splitlines() if x]
    results = {}
    for mode in ("fulltext", "semantic", "hybrid"):
        recalls, rranks = [], []
        by_language: dict[str, list[float]] = {}
        for item in queries:
            relevant = {ref_ids[r] for r in item["expected"]}
            ranked = [
                h.practice.pk for h in search_practices(reader, item["query"], limit=10, mode=mode)
            ]
            recall = len(relevant & set(ranked[:5])) / min(len(relevant), 5)
            first = next((i for i, pk in enumerate(ranked, 1) if pk in relevant), None)
            recalls.append(recall)
            rranks.append(1 / first if first else 0.0)
            by_language.setdefault(item["language"], []).append(recall)
        results[mode] = {
            "recall@5": statistics.mean(recalls),
            "mrr@10": statistics.mean(rranks),
            **{f"recall@5[{k}]": statistics.mean(v) for k, v in sorted(by_language.items())},
        }
    return results


def synthetic_texts(n: int, rng: random.Random) -> list[tuple[str, str, str, list[str]]]:
    """(language, title, summary, themes) built from the demo practices' own words."""
    from ctnet.practices.demo import demo_lines

    demo = [json.loads(x) for x in demo_lines()]
    out = []
    for _ in range(n):
        base = rng.choice(demo)
        words = (base["title"] + " " + base["summary"] + " " + base["body"]).split()
        other = rng.choice([d for d in demo if d["language"] == base["language"]])
        words += other["summary"].split()
        title = " ".join(rng.sample(words, min(8, len(words))))
        summary = " ".join(rng.sample(words, min(40, len(words))))
        out.append((base["language"], title, summary, base["themes"]))
    return out


def throughput(texts: list[tuple[str, str, str, list[str]]]) -> tuple[float, float, np.ndarray]:
    from ctnet.practices.engine import embedder

    embedder.get_model()
    docs = [embedder.document_text(t, s) for _l, t, s, _th in texts]
    start = time.perf_counter()
    vectors = np.vstack([embedder.encode(docs[i : i + 64]) for i in range(0, len(docs), 64)])
    batch_rate = len(docs) / (time.perf_counter() - start)
    sample = docs[:200]
    start = time.perf_counter()
    for doc in sample:
        embedder.encode_one(doc)
    single_rate = len(sample) / (time.perf_counter() - start)
    return batch_rate, single_rate, vectors


def seed(size: int, texts, pool: np.ndarray, author, rng: random.Random) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    from ctnet.core.models import Organisation
    from ctnet.practices.engine import embedder
    from ctnet.practices.engine.textsearch import spaced
    from ctnet.practices.models import Practice, SearchIndexState

    orgs = list(Organisation.objects.filter(kind="MEMBER_STATE").values_list("pk", flat=True))
    noise = np.random.default_rng(7)
    start = time.perf_counter()
    for offset in range(0, size, 5000):
        rows = []
        for i in range(offset, min(size, offset + 5000)):
            language, title, summary, themes = texts[i % len(texts)]
            vector = pool[i % len(pool)] + noise.normal(0, 0.01, embedder.DIMENSION).astype("f4")
            vector /= np.linalg.norm(vector)
            rows.append(
                Practice(
                    title=title,
                    summary=summary,
                    language=language,
                    themes=themes,
                    originator_id=rng.choice(orgs),
                    created_by=author,
                    tlp="GREEN",
                    status="published",
                    embedding=embedder.to_bytes(vector),
                )
            )
        with transaction.atomic():
            created = Practice.objects.bulk_create(rows)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO practices_fts (rowid, title, summary, body) "
                    "VALUES (%s, %s, %s, '')",
                    [(p.pk, spaced(p.title), spaced(p.summary)) for p in created],
                )
    SearchIndexState.bump()
    return time.perf_counter() - start


def latency(reader, repeats: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from ctnet.practices.search import search_practices
    from ctnet.practices.vectors import current_index

    start = time.perf_counter()
    current_index()
    build = time.perf_counter() - start
    queries = [
        json.loads(x)["query"] for x in QUERIES.read_text(encoding="utf-8").splitlines() if x
    ]
    timings: dict[str, list[float]] = {"hybrid": [], "fulltext": [], "semantic": []}
    for _ in range(repeats):
        for q in queries:
            for mode, bucket in timings.items():
                t0 = time.perf_counter()
                search_practices(reader, q, limit=10, mode=mode)
                bucket.append((time.perf_counter() - t0) * 1000)
    out = {"index_build_s": build}
    for mode, values in timings.items():
        values.sort()
        out[f"{mode}_p50_ms"] = values[len(values) // 2]
        out[f"{mode}_p95_ms"] = values[int(len(values) * 0.95) - 1]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="10,000 practices")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    size = 10_000 if args.quick else args.size
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from ctnet.practices.demo import load_practices_demo

        secretariat, reader = make_people()
        start = time.perf_counter()
        loaded = load_practices_demo(secretariat)
        took = time.perf_counter() - start
        print(f"demo library: {loaded} practices imported and embedded in {took:.1f} s")
        scores = quality(reader)
        print("\n== quality on the demo library (30 queries, 5 per language) ==")
        for mode, figures in scores.items():
            print(f"{mode:>9}: " + "  ".join(f"{k}={v:.3f}" for k, v in figures.items()))
        ft, hy = scores["fulltext"], scores["hybrid"]
        print(
            f"hybrid / full-text: recall@5 x{hy['recall@5'] / max(ft['recall@5'], 1e-9):.2f}, "
            f"MRR x{hy['mrr@10'] / max(ft['mrr@10'], 1e-9):.2f}"
        )
        texts = synthetic_texts(POOL, rng)
        batch_rate, single_rate, pool = throughput(texts)
        print("\n== indexing throughput (2 BLAS threads) ==")
        print(f"batched (import): {batch_rate:.0f} practices/s; one by one: {single_rate:.0f}/s")
        seconds = seed(size - loaded, texts, pool, secretariat, rng)
        print(f"\n== latency at {size:,} practices ({seconds:.0f} s to seed) ==")
        for key, value in latency(reader, args.repeats).items():
            print(f"{key}: {value:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
