"""Search: full-text on the running engine, semantic across languages, fusion, filters, limits."""

from __future__ import annotations

from django.db import connection

from ctnet.practices import fulltext
from ctnet.practices.engine.textsearch import query_terms
from ctnet.practices.models import Practice
from ctnet.practices.search import Filters, search_practices
from ctnet.practices.tests.helpers import PracticeTestCase
from ctnet.practices.vectors import current_index

CORPUS = [
    # (key, language, title, summary, themes)
    (
        "ftf_fr",
        "fr",
        "Réinsertion des combattants terroristes étrangers de retour",
        "Programme de réhabilitation et de réintégration des combattants étrangers revenus "
        "de zones de conflit et de leurs familles, avec suivi psychologique.",
        ["foreign-terrorist-fighters"],
    ),
    (
        "finance_en",
        "en",
        "Protecting non-profit organisations from terrorist financing abuse",
        "Risk-based outreach to charities so that donations are not diverted to terrorist groups.",
        ["terrorist-financing"],
    ),
    (
        "aviation_es",
        "es",
        "Uso de datos API/PNR de pasajeros aéreos en las fronteras",
        "Análisis de la información anticipada sobre pasajeros para detectar viajeros de riesgo "
        "en los aeropuertos.",
        ["aviation-security", "border-security"],
    ),
    (
        "prison_zh",
        "zh",
        "监狱中防止暴力极端主义的做法",
        "对监狱中的暴力极端分子进行风险评估和个别化管理，防止激进化在囚犯之间蔓延。",
        ["prisons"],
    ),
    (
        "victims_ru",
        "ru",
        "Поддержка жертв терроризма",
        "Государственная программа медицинской, психологической и правовой помощи жертвам "
        "террористических актов и их семьям.",
        ["victims"],
    ),
]


class SearchTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.ids = {}
        for key, language, title, summary, themes in CORPUS:
            practice = cls.published(
                cls.alice, title, summary, language=language, themes=themes, reviewer=cls.sam
            )
            cls.ids[key] = practice.pk
        cls.draft = cls.write(cls.alice, "Réinsertion brouillon", "Combattants de retour")

    def titles(self, hits):
        return [h.practice.pk for h in hits]

    def test_embeddings_are_computed_on_save_by_the_task(self) -> None:
        stored = Practice.objects.filter(embedding__isnull=False).count()
        self.assertEqual(stored, len(CORPUS) + 1)
        self.assertEqual(len(current_index().ids), len(CORPUS))  # drafts are not indexed

    def test_fulltext_on_the_running_engine(self) -> None:
        found = fulltext.search_ids(query_terms("combattants étrangers"), 10)
        self.assertEqual(found, [self.ids["ftf_fr"]], connection.vendor)
        # Long words match on a prefix: "donation" finds "donations".
        self.assertEqual(fulltext.search_ids(query_terms("donation"), 10), [self.ids["finance_en"]])
        # Chinese is searched character by character, as a phrase.
        self.assertEqual(fulltext.search_ids(query_terms("监狱"), 10), [self.ids["prison_zh"]])
        self.assertEqual(fulltext.search_ids(query_terms("狱监"), 10), [])
        self.assertEqual(fulltext.search_ids(query_terms("жертв"), 10), [self.ids["victims_ru"]])
        self.assertEqual(fulltext.search_ids(query_terms("zzzunknown"), 10), [])

    def test_fulltext_ignores_query_syntax(self) -> None:
        for raw in ('"unbalanced', "a AND OR NOT", "x' | y", "NEAR(a b)", "*", "()"):
            fulltext.search_ids(query_terms(raw), 10)  # must not raise

    def test_arabic_query_finds_the_french_practice(self) -> None:
        hits = search_practices(self.bob, "إعادة إدماج المقاتلين الإرهابيين الأجانب العائدين")
        self.assertEqual(self.titles(hits)[0], self.ids["ftf_fr"])
        semantic = search_practices(self.bob, "تمويل الإرهاب والجمعيات الخيرية", mode="semantic")
        self.assertEqual(self.titles(semantic)[0], self.ids["finance_en"])

    def test_russian_and_chinese_queries_cross_languages(self) -> None:
        hits = search_practices(self.bob, "радикализация в тюрьмах", limit=3)
        self.assertEqual(self.titles(hits)[0], self.ids["prison_zh"])
        hits = search_practices(self.bob, "航空旅客数据 边境", limit=3)
        self.assertEqual(self.titles(hits)[0], self.ids["aviation_es"])

    def test_filters(self) -> None:
        hits = search_practices(self.bob, "terrorism", filters=Filters(language="ru"))
        self.assertEqual(self.titles(hits), [self.ids["victims_ru"]])
        hits = search_practices(self.bob, "terrorism", filters=Filters(themes=("border-security",)))
        self.assertEqual(self.titles(hits), [self.ids["aviation_es"]])
        hits = search_practices(self.bob, "terrorism", filters=Filters(origin_id=self.state_b.pk))
        self.assertEqual(hits, [])

    def test_drafts_never_found(self) -> None:
        hits = search_practices(self.alice, "Réinsertion brouillon", limit=50)
        self.assertNotIn(self.draft.pk, self.titles(hits))
