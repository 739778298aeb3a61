"""The label registry (core/labels.py) and the template filters that show codes, times and text.

The first test enumerates every registered vocabulary: each value's label is a translatable
string, translated in all five languages besides English, so no page falls back to a code.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import trans_real

from ctnet.core import labels

LANGUAGES = ("ar", "zh-hans", "fr", "ru", "es")
# Every capability registers its vocabularies in its AppConfig.ready(); this is the floor, so that
# a capability that stops registering is noticed.
EXPECTED = {
    "core.TLP",
    "core.UNGroup",
    "core.Role",
    "core.OrgKind",
    "core.topics",
    "hashes.SignalStatus",
    "hashes.ContentCategory",
    "exchange.LegalStatus",
    "exchange.IndicatorKind",
    "screening.HitStatus",
    "screening.paxlst_list_kind",
    "screening.entity_type",
    "directory.Function",
    "directory.change_action",
    "practices.Status",
    "practices.themes",
}


def render(source: str, **context: object) -> str:
    return Template("{% load labels %}" + source).render(Context(context))


class RegistryTests(SimpleTestCase):
    def test_every_registered_value_has_a_label_translated_in_five_languages(self) -> None:
        vocabularies = labels.vocabularies(translated=True)
        self.assertTrue(set(vocabularies) >= EXPECTED, EXPECTED - set(vocabularies))
        missing = []
        for lang in LANGUAGES:
            catalogue = trans_real.translation(lang)._catalog  # every catalogue, merged
            for name, pairs in vocabularies.items():
                for value, label in pairs.items():
                    if not isinstance(label, Promise):
                        missing.append(f"{name}.{value}: not translatable ({label!r})")
                        continue
                    msgid = label._args[0]
                    if not catalogue.get(msgid):
                        missing.append(f"{lang} {name}.{value}: {msgid!r}")
        self.assertEqual(missing, [])

    def test_every_audit_detail_key_is_translated(self) -> None:
        keys = labels.vocabularies()[labels.AUDIT_DETAIL_KEYS]
        self.assertIn("why", keys)
        for lang in LANGUAGES:
            catalogue = trans_real.translation(lang)._catalog
            untranslated = [k for k, v in keys.items() if not catalogue.get(v._args[0])]
            self.assertEqual(untranslated, [], lang)

    def test_untranslated_vocabularies_are_only_endonyms(self) -> None:
        self.assertEqual(set(labels.vocabularies(translated=False)), {"practices.Language"})

    def test_label_in_the_active_language(self) -> None:
        with translation.override("fr"):
            self.assertEqual(labels.label("core.UNGroup", "AFRICAN"), "Groupe des États d'Afrique")
        with translation.override("en"):
            self.assertEqual(
                labels.label("core.topics", "foreign-terrorist-fighters"),
                "Foreign terrorist fighters",
            )

    def test_an_unknown_value_is_shown_as_it_is_and_nothing_is_shown_for_none(self) -> None:
        self.assertEqual(labels.label("core.UNGroup", "ANTARCTIC"), "ANTARCTIC")
        self.assertEqual(labels.label("core.UNGroup", None), "")
        self.assertEqual(labels.labels("core.UNGroup", None), [])

    def test_an_unknown_vocabulary_is_a_programming_error(self) -> None:
        with self.assertRaises(LookupError):
            labels.label("core.NoSuchThing", "X")

    def test_the_same_name_cannot_hold_two_vocabularies(self) -> None:
        with self.assertRaises(ValueError):
            labels.register("core.UNGroup", {"ONLY": "one"})


class FilterTests(SimpleTestCase):
    def test_label_and_labels_filters(self) -> None:
        with translation.override("en"):
            self.assertEqual(
                render('{{ v|label:"hashes.SignalStatus" }}', v="DISPUTED"), "Disputed"
            )
            self.assertEqual(
                render('{{ v|labels:"core.UNGroup"|join:", " }}', v=["AFRICAN", "ASIA_PACIFIC"]),
                "African Group, Asia-Pacific Group",
            )

    def test_when_is_in_the_active_zone_and_language_and_isolated_left_to_right(self) -> None:
        moment = datetime(2026, 12, 2, 9, 3, tzinfo=UTC)
        with translation.override("en"):
            self.assertEqual(
                render("{{ m|when }}", m=moment), '<bdi dir="ltr">2 Dec 2026, 09:03 UTC</bdi>'
            )
        with translation.override("ar"), timezone.override(zoneinfo.ZoneInfo("Asia/Amman")):
            self.assertEqual(
                render("{{ m|when }}", m=moment), '<bdi dir="ltr">02/12/2026 12:03 +03</bdi>'
            )
        with translation.override("fr"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
            self.assertEqual(
                render("{{ m|when }}", m=moment), '<bdi dir="ltr">02/12/2026 10:03 CET</bdi>'
            )

    def test_when_reads_an_iso_string_and_leaves_other_text_alone(self) -> None:
        with translation.override("ru"):
            self.assertEqual(
                render("{{ v|when }}", v="2018-10-29T19:09:49.856-04:00"),
                '<bdi dir="ltr">29.10.2018 23:09 UTC</bdi>',
            )
            self.assertEqual(render("{{ v|when }}", v="KL1234 <b>"), "KL1234 &lt;b&gt;")
            self.assertEqual(render('{{ v|when|default:"—" }}', v=None), "—")

    def test_day_and_period(self) -> None:
        with translation.override("es"):
            self.assertEqual(
                render("{{ d|day }}", d=date(2026, 1, 31)), '<bdi dir="ltr">31/01/2026</bdi>'
            )
            self.assertEqual(
                render("{% period a b %}", a=date(2026, 1, 1), b=None),
                '<bdi dir="ltr" class="period"><bdi dir="ltr">01/01/2026</bdi> – ?</bdi>',
            )

    def test_ltr_bdi_and_tlp_escape_what_they_wrap(self) -> None:
        self.assertEqual(render("{{ v|ltr }}", v="09:00–17:00"), '<bdi dir="ltr">09:00–17:00</bdi>')
        self.assertEqual(render("{{ v|bdi }}", v="<i>x</i>"), "<bdi>&lt;i&gt;x&lt;/i&gt;</bdi>")
        self.assertEqual(
            render("{{ v|tlp }}", v="AMBER+STRICT"),
            '<bdi dir="ltr" class="tlp">TLP:AMBER+STRICT</bdi>',
        )
        self.assertEqual(render("{{ v|ltr }}{{ v|tlp }}", v=""), "")

    def test_details_are_a_labelled_list(self) -> None:
        with translation.override("fr"):
            html = render(
                "{% details d %}",
                d={"why": "route topic", "ids": [3, 4], "some_flag": False, "n": 1500},
            )
        self.assertEqual(
            html,
            '<dl class="details"><dt>Motif</dt><dd><bdi>route topic</bdi></dd>'
            '<dt>Identifiants</dt><dd><bdi dir="ltr">3, 4</bdi></dd>'
            "<dt>Some flag</dt><dd>non</dd>"  # a key no app named reads as words
            '<dt>Nombre</dt><dd><bdi dir="ltr">1500</bdi></dd></dl>',
        )
        self.assertEqual(render("{% details d %}", d={}), "—")
