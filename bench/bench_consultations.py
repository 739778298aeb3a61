"""Benchmark of consultations' engines: theme proposals across languages, and the opinion map.

    .venv/bin/python bench/bench_consultations.py                 # 2,000 inputs, 10,000 x 200
    .venv/bin/python bench/bench_consultations.py --inputs 10000  # the issue's corpus size

1. Theme proposals. A seeded corpus (seed 2018) of inputs on six labelled topics written in five
   languages (English, French, Spanish, Arabic, Russian), each base sentence varied with openings
   and closings of its language. The platform's proposal (multilingual USE embeddings from
   practices' engine, k-means with k by silhouette, ``engine/grouping.py``) against the baseline of
   grouping by language-specific keywords (TF-IDF of the words, k-means with the same k range and
   choice). Agreement with the labels: adjusted Rand index (1 = the labelled grouping, 0 = chance).
   Times: embedding, grouping, and the baseline, in the same process.
2. Opinion map. 10,000 participants x 200 statements of -1/0/1 votes from four seeded opinion
   camps; the map (``engine/opinion.py``: PCA, k-means with k by silhouette over 2..5, consensus
   and divisive statements) against the baseline of the PCA alone, in the same process. Time,
   peak traced Python memory and the process's peak resident size.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score, silhouette_score  # noqa: E402

from ctnet.consultations.engine.grouping import MAX_GROUPS, choose_groups  # noqa: E402
from ctnet.consultations.engine.opinion import opinion_map  # noqa: E402

SEED = 2018

# topic -> language -> base sentences (fictional inputs to a draft action plan)
TOPICS: dict[str, dict[str, list[str]]] = {
    "youth": {
        "en": [
            "Young people must help design prevention programmes.",
            "Fund youth centres in poor districts.",
        ],
        "fr": [
            "Les jeunes doivent participer à la conception des programmes de prévention.",
            "Financer des maisons de jeunes dans les quartiers pauvres.",
        ],
        "es": [
            "Los jóvenes deben participar en el diseño de los programas de prevención.",
            "Financiar centros juveniles en los barrios pobres.",
        ],
        "ar": [
            "يجب أن يشارك الشباب في تصميم برامج الوقاية.",
            "تمويل مراكز الشباب في الأحياء الفقيرة.",
        ],
        "ru": [
            "Молодёжь должна участвовать в разработке программ профилактики.",
            "Финансировать молодёжные центры в бедных районах.",
        ],
    },
    "civic_space": {
        "en": [
            "Counter-terrorism laws are used to close human rights groups.",
            "Registration rules for associations must not silence critics.",
        ],
        "fr": [
            "Les lois antiterroristes servent à fermer des associations de défense des droits.",
            "Les règles d'enregistrement ne doivent pas faire taire les critiques.",
        ],
        "es": [
            "Las leyes antiterroristas se usan para cerrar grupos de derechos humanos.",
            "Las normas de registro de asociaciones no deben silenciar a los críticos.",
        ],
        "ar": [
            "تُستخدم قوانين مكافحة الإرهاب لإغلاق منظمات حقوق الإنسان.",
            "يجب ألا تُسكت قواعد تسجيل الجمعيات المنتقدين.",
        ],
        "ru": [
            "Антитеррористические законы используют для закрытия правозащитных групп.",
            "Правила регистрации объединений не должны заставлять критиков молчать.",
        ],
    },
    "prisons": {
        "en": [
            "Prisons need programmes against radicalisation of detainees.",
            "Released prisoners need support to find work and housing.",
        ],
        "fr": [
            "Les prisons ont besoin de programmes contre la radicalisation des détenus.",
            "Les personnes libérées ont besoin d'aide pour trouver un emploi et un logement.",
        ],
        "es": [
            "Las cárceles necesitan programas contra la radicalización de los reclusos.",
            "Los presos liberados necesitan apoyo para encontrar trabajo y vivienda.",
        ],
        "ar": [
            "تحتاج السجون إلى برامج لمكافحة تطرف المحتجزين.",
            "يحتاج السجناء المفرج عنهم إلى دعم للعثور على عمل وسكن.",
        ],
        "ru": [
            "В тюрьмах нужны программы против радикализации заключённых.",
            "Освобождённым нужна помощь в поиске работы и жилья.",
        ],
    },
    "online": {
        "en": [
            "Platforms should remove terrorist videos faster.",
            "Content removal online must respect freedom of expression.",
        ],
        "fr": [
            "Les plateformes devraient retirer plus vite les vidéos terroristes.",
            "Le retrait des contenus en ligne doit respecter la liberté d'expression.",
        ],
        "es": [
            "Las plataformas deberían retirar más rápido los vídeos terroristas.",
            "La retirada de contenidos en línea debe respetar la libertad de expresión.",
        ],
        "ar": [
            "يجب على المنصات إزالة مقاطع الفيديو الإرهابية بسرعة أكبر.",
            "يجب أن تحترم إزالة المحتوى على الإنترنت حرية التعبير.",
        ],
        "ru": [
            "Платформы должны быстрее удалять террористические видео.",
            "Удаление контента в интернете должно уважать свободу слова.",
        ],
    },
    "victims": {
        "en": [
            "Victims of attacks need long-term psychological care.",
            "Survivors should be compensated and heard in court.",
        ],
        "fr": [
            "Les victimes d'attentats ont besoin de soins psychologiques durables.",
            "Les survivants doivent être indemnisés et entendus au tribunal.",
        ],
        "es": [
            "Las víctimas de atentados necesitan atención psicológica a largo plazo.",
            "Los supervivientes deben ser indemnizados y escuchados en los tribunales.",
        ],
        "ar": [
            "يحتاج ضحايا الهجمات إلى رعاية نفسية طويلة الأمد.",
            "يجب تعويض الناجين والاستماع إليهم في المحاكم.",
        ],
        "ru": [
            "Жертвам терактов нужна долгосрочная психологическая помощь.",
            "Выжившие должны получать компенсацию и быть услышанными в суде.",
        ],
    },
    "funding": {
        "en": [
            "Banks refuse to transfer money to small charities.",
            "Rules on terrorist financing cut humanitarian aid.",
        ],
        "fr": [
            "Les banques refusent les virements vers les petites associations caritatives.",
            "Les règles sur le financement du terrorisme coupent l'aide humanitaire.",
        ],
        "es": [
            "Los bancos se niegan a transferir dinero a pequeñas organizaciones benéficas.",
            "Las normas sobre financiación del terrorismo recortan la ayuda humanitaria.",
        ],
        "ar": [
            "ترفض البنوك تحويل الأموال إلى الجمعيات الخيرية الصغيرة.",
            "تقطع قواعد تمويل الإرهاب المساعدات الإنسانية.",
        ],
        "ru": [
            "Банки отказываются переводить деньги небольшим благотворительным организациям.",
            "Правила о финансировании терроризма урезают гуманитарную помощь.",
        ],
    },
}
OPENINGS = {
    "en": ["", "We believe that ", "In our region, ", "From our experience, "],
    "fr": ["", "Nous pensons que ", "Dans notre région, ", "D'après notre expérience, "],
    "es": ["", "Creemos que ", "En nuestra región, ", "Según nuestra experiencia, "],
    "ar": ["", "نعتقد أنه ", "في منطقتنا، ", "من خلال تجربتنا، "],
    "ru": ["", "Мы считаем, что ", "В нашем регионе ", "По нашему опыту, "],
}
CLOSINGS = {
    "en": ["", " This is urgent.", " Please act on it."],
    "fr": ["", " C'est urgent.", " Merci d'agir."],
    "es": ["", " Es urgente.", " Por favor, actúen."],
    "ar": ["", " هذا أمر عاجل.", " نرجو اتخاذ إجراء."],
    "ru": ["", " Это срочно.", " Просим принять меры."],
}


def corpus(n: int) -> tuple[list[str], list[int], list[str]]:
    rng = random.Random(SEED)
    names = sorted(TOPICS)
    texts, labels, langs = [], [], []
    for _ in range(n):
        label = rng.randrange(len(names))
        lang = rng.choice(sorted(OPENINGS))
        base = rng.choice(TOPICS[names[label]][lang])
        opening = rng.choice(OPENINGS[lang])
        sentence = base[0].lower() + base[1:] if opening and lang != "ar" else base
        texts.append(f"{opening}{sentence}{rng.choice(CLOSINGS[lang])}")
        labels.append(label)
        langs.append(lang)
    return texts, labels, langs


def keyword_baseline(texts: list[str]) -> np.ndarray:
    """Grouping by language-specific keywords: TF-IDF of words, k-means, k by silhouette."""
    vectors = TfidfVectorizer(min_df=2).fit_transform(texts)
    best, best_score = np.zeros(len(texts), dtype=int), -2.0
    for k in range(2, MAX_GROUPS + 1):
        labels = KMeans(n_clusters=k, n_init=3, random_state=0).fit_predict(vectors)
        score = silhouette_score(vectors, labels, sample_size=min(len(texts), 2000), random_state=0)
        if score > best_score:
            best, best_score = labels, score
    return best


def bench_themes(n: int) -> None:
    from ctnet.practices.engine.embedder import encode, get_model

    texts, labels, langs = corpus(n)
    print(
        f"theme proposals: {n} inputs, {len(TOPICS)} topics, {len(set(langs))} languages, "
        f"{len(set(texts))} distinct texts"
    )
    get_model()  # the model's load is not part of a proposal
    t0 = time.perf_counter()
    vectors = encode(texts)
    t1 = time.perf_counter()
    proposed = choose_groups(vectors)
    t2 = time.perf_counter()
    baseline = keyword_baseline(texts)
    t3 = time.perf_counter()
    ari = adjusted_rand_score(labels, proposed)
    ari_base = adjusted_rand_score(labels, baseline)
    print(
        f"  platform (USE embeddings + k-means): ARI {ari:.3f}, groups {len(set(proposed))}, "
        f"embed {t1 - t0:.1f} s + group {t2 - t1:.1f} s"
    )
    print(
        f"  baseline (keywords, TF-IDF + k-means): ARI {ari_base:.3f}, groups "
        f"{len(set(baseline))}, {t3 - t2:.1f} s"
    )
    print(
        f"  ARI ratio platform/baseline: {ari / ari_base if ari_base > 0 else float('inf'):.2f}; "
        f"time ratio: {(t2 - t0) / (t3 - t2):.2f}"
    )


def camps(n: int, m: int) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    leaning = rng.choice([-1.0, 0.0, 1.0], size=(4, m), p=[0.4, 0.2, 0.4])
    camp = rng.integers(0, 4, size=n)
    votes = leaning[camp]
    noise = rng.random((n, m))
    votes = np.where(noise < 0.25, rng.choice([-1.0, 0.0, 1.0], size=(n, m)), votes)
    return votes.astype(np.float32)


def bench_map(n: int, m: int) -> None:
    votes = camps(n, m)
    print(f"opinion map: {n} participants x {m} statements")
    t0 = time.perf_counter()
    PCA(n_components=2, random_state=0).fit_transform(votes)
    t1 = time.perf_counter()
    tracemalloc.start()
    t2 = time.perf_counter()
    result = opinion_map(votes)
    t3 = time.perf_counter()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  map: {t3 - t2:.2f} s, {len(result.groups)} groups (sizes "
        f"{sorted(g.size for g in result.groups)}), {len(result.consensus)} consensus, "
        f"{len(result.divisive)} divisive; peak traced {peak / 2**20:.0f} MiB, process peak RSS "
        f"{rss:.0f} MiB (input matrix {votes.nbytes / 2**20:.1f} MiB)"
    )
    print(f"  baseline (PCA alone): {t1 - t0:.2f} s; ratio map/PCA {(t3 - t2) / (t1 - t0):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=200)
    args = parser.parse_args()
    bench_themes(args.inputs)
    bench_map(args.participants, args.statements)


if __name__ == "__main__":
    main()
