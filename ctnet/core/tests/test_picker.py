"""The organisation picker (issue 14, item 2): matching in the six languages, the endpoint's
refusals and bounds, groups as one choice, and the fields that post with or without JavaScript."""

from __future__ import annotations

import re

from django.test import TestCase

from ctnet.core import picker
from ctnet.core.models import Organisation, OrgKind, User
from ctnet.core.orgnames import fold, match_organisations
from ctnet.core.reference import load_reference_organisations
from ctnet.testing.base import CtnetTestCase

PICK = "/organisations/pick/"


def values(response) -> list[str]:
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


class MatchingTests(TestCase):
    """Over the real reference list: 193 states and the entities, six languages each."""

    @classmethod
    def setUpTestData(cls) -> None:
        load_reference_organisations()
        cls.orgs = list(Organisation.objects.all())

    def first(self, query: str) -> str:
        found = match_organisations(self.orgs, query)
        return found[0].code if found else ""

    def test_a_country_by_name_in_each_un_language_by_code_any_case_or_accent(self) -> None:
        for query in ("France", "fran", "FRANCIA", "Франция", "фран", "فرنسا", "فرن", "法国"):
            with self.subTest(query=query):
                self.assertEqual(self.first(query), "FRA")
        self.assertEqual(self.first("fra"), "FRA")  # the code beats "Francia"'s neighbours
        self.assertEqual(self.first("fr"), "FRA")  # ISO alpha-2
        self.assertEqual(self.first("cote d ivoire"), "CIV")  # "Côte d'Ivoire"
        self.assertEqual(self.first("Bolivia"), "BOL")  # pycountry's common name
        self.assertEqual(self.first("Iran"), "IRN")
        self.assertEqual(self.first("Россия"), "")  # no such name: the official one is stored
        self.assertEqual(self.first("Российская"), "RUS")
        self.assertEqual(self.first("UNOCT"), "UNOCT")

    def test_arabic_letter_forms_fold_alike(self) -> None:
        self.assertEqual(fold("أفغانستان"), fold("افغانستان"))
        self.assertEqual(self.first("افغانستان"), "AFG")

    def test_nothing_for_nothing(self) -> None:
        self.assertEqual(match_organisations(self.orgs, "   "), [])
        self.assertEqual(match_organisations(self.orgs, "zzzzzz"), [])


class EndpointTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.state_b.names = {"en": "Kenya", "fr": "Kenya", "ar": "كينيا", "zh": "肯尼亚"}
        cls.state_b.save()
        cls.gone = Organisation.objects.create(
            code="KEX", kind=OrgKind.MEMBER_STATE, names={"en": "Kenya Ex"}, is_active=False
        )
        cls.loner = User.objects.create_user("loner", "loner@example.org", "x" * 20)

    def test_anonymous_is_sent_to_sign_in_and_a_non_member_refused(self) -> None:
        response = self.client.get(PICK, {"q": "ken", "scope": "community"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.client.force_login(self.loner)
        self.assertEqual(self.client.get(PICK, {"q": "ken", "scope": "community"}).status_code, 403)

    def test_oversight_addresses_no_one(self) -> None:
        self.login(self.olga)
        self.assertEqual(self.client.get(PICK, {"q": "ken", "scope": "community"}).status_code, 403)

    def test_only_organisations_the_person_may_address(self) -> None:
        self.login(self.alice)
        response = self.client.get(PICK, {"q": "ken", "scope": "community"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(values(response), [str(self.state_b.pk)])  # not the inactive KEX
        self.assertContains(response, 'role="option"')
        # Her own state is no addressee of hers; civil society and companies are not community.
        self.assertEqual(values(self.client.get(PICK, {"q": "FRA", "scope": "community"})), [])
        self.assertEqual(values(self.client.get(PICK, {"q": "CSO", "scope": "community"})), [])
        self.assertEqual(
            values(self.client.get(PICK, {"q": "CSO", "scope": "any", "value": "code"})),
            ["CSO-X"],
        )
        self.assertEqual(
            values(self.client.get(PICK, {"q": "FRA", "scope": "directory", "value": "code"})),
            ["FRA"],
        )

    def test_names_in_other_languages_and_the_option_ids(self) -> None:
        self.login(self.alice)
        for query in ("كيني", "肯尼", "KEN", "ke"):
            with self.subTest(query=query):
                response = self.client.get(
                    PICK, {"q": query, "scope": "community", "listbox": "id_r-listbox"}
                )
                self.assertEqual(values(response), [str(self.state_b.pk)])
                self.assertContains(response, 'id="id_r-listbox-1"')

    def test_the_answer_is_bounded(self) -> None:
        Organisation.objects.bulk_create(
            Organisation(code=f"T{i:02d}", kind=OrgKind.MEMBER_STATE, names={"en": f"Testland {i}"})
            for i in range(30)
        )
        self.login(self.alice)
        response = self.client.get(PICK, {"q": "testland", "scope": "community"})
        self.assertEqual(len(values(response)), picker.RESULT_LIMIT)
        self.assertContains(response, "More match")

    def test_bad_input_is_a_400_with_a_message_and_post_a_405(self) -> None:
        self.login(self.alice)
        for query in (
            {"scope": "community"},
            {"q": "ken", "scope": "everyone"},
            {"q": "ken", "scope": "community", "value": "names"},
            {"q": "ken", "scope": "community", "listbox": '"><script>'},
            {"q": "k" * 101, "scope": "community"},
        ):
            with self.subTest(query=query):
                response = self.client.get(PICK, query)
                self.assertEqual(response.status_code, 400)
                self.assertIn("Bad picker query", response.content.decode())
        self.assertEqual(self.client.post(PICK, {"q": "ken"}).status_code, 405)

    def test_nothing_matches_says_so(self) -> None:
        self.login(self.alice)
        response = self.client.get(PICK, {"q": "Atlantis", "scope": "community"})
        self.assertEqual(values(response), [])
        self.assertContains(response, "Nothing matches")

    def test_query_count_is_fixed(self) -> None:
        self.login(self.alice)
        # Session, user with membership, second-factor device, one SELECT of the scope's
        # organisations: the same for one match and for twenty.
        with self.assertNumQueries(4):
            self.client.get(PICK, {"q": "ken", "scope": "community"})
        Organisation.objects.bulk_create(
            Organisation(code=f"K{i:02d}", kind=OrgKind.MEMBER_STATE, names={"en": f"Kenland {i}"})
            for i in range(20)
        )
        with self.assertNumQueries(4):
            response = self.client.get(PICK, {"q": "ken", "scope": "community"})
        self.assertEqual(len(values(response)), picker.RESULT_LIMIT)
        # With groups: also the sharing groups the sender may use (their members are one more
        # query when there is a group, see GroupTests).
        with self.assertNumQueries(5):
            self.client.get(PICK, {"q": "ken", "scope": "community", "groups": "1"})
