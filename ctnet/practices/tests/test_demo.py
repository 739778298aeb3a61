"""The demo library: loads once, covers the six languages and four pillars, and is searchable
across languages ("done when": an Arabic query finds the French and English practices)."""

from __future__ import annotations

import json
from collections import Counter

from ctnet.core.reference import load_reference_organisations
from ctnet.practices.demo import demo_lines, load_practices_demo
from ctnet.practices.models import Practice
from ctnet.practices.search import search_practices
from ctnet.practices.tests.helpers import PracticeTestCase
from ctnet.practices.vocab import LANGUAGE_CODES, PILLARS


class DemoTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        load_reference_organisations()
        with cls.captureOnCommitCallbacks(execute=True):
            cls.loaded = load_practices_demo(cls.sam)

    def by_ref(self, ref: str) -> int:
        title = next(json.loads(x)["title"] for x in demo_lines() if json.loads(x)["ref"] == ref)
        return Practice.objects.get(title=title).pk

    def test_loaded_once_with_every_language_and_pillar(self) -> None:
        self.assertGreaterEqual(self.loaded, 40)
        self.assertEqual(load_practices_demo(self.sam), 0)
        self.assertEqual(Practice.objects.count(), self.loaded)
        languages = Counter(Practice.objects.values_list("language", flat=True))
        self.assertEqual(set(languages), LANGUAGE_CODES)
        self.assertTrue(all(n >= 6 for n in languages.values()), languages)
        themes = {t for p in Practice.objects.all() for t in p.themes}
        self.assertTrue(set(PILLARS) <= themes)
        self.assertFalse(Practice.objects.filter(embedding__isnull=True).exists())

    def test_arabic_query_finds_french_and_english_practices_in_the_top_five(self) -> None:
        query = "حماية الجمعيات الخيرية من استغلالها في تمويل الإرهاب"
        top5 = [h.practice.pk for h in search_practices(self.bob, query, limit=5)]
        self.assertIn(self.by_ref("fr-financement-ong"), top5)
        self.assertIn(self.by_ref("en-npo-financing"), top5)

    def test_arabic_query_on_returning_fighters(self) -> None:
        query = "إعادة إدماج المقاتلين الإرهابيين الأجانب العائدين"
        top5 = [h.practice.pk for h in search_practices(self.bob, query, limit=5)]
        self.assertIn(self.by_ref("fr-ftf-reinsertion"), top5)
        self.assertIn(self.by_ref("ru-ftf-return"), top5)

    def test_near_duplicate_threshold_separates_translations_from_neighbours(self) -> None:
        from ctnet.practices import services
        from ctnet.practices.validation import clean_practice

        english = {
            "title": "Reintegration of returning foreign terrorist fighters and their families",
            "summary": "A case-by-case follow-up combining justice, social services and mental "
            "health for the rehabilitation and reintegration of foreign terrorist fighters who "
            "returned from conflict zones, and of the women and children with them.",
            "language": "en",
            "themes": ["foreign-terrorist-fighters"],
        }
        with self.captureOnCommitCallbacks(execute=True):
            draft = services.create_practice(acting_user=self.bob, data=clean_practice(english))
        result = services.transition_practice(acting_user=self.bob, practice=draft, action="submit")
        self.assertIn(self.by_ref("fr-ftf-reinsertion"), [d.id for d in result.duplicates])
        self.assertNotIn(self.by_ref("en-npo-financing"), [d.id for d in result.duplicates])
