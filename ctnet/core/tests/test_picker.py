"""The organisation picker (issue 14, item 2): matching in the six languages, the endpoint's
refusals and bounds, groups as one choice, and the fields that post with or without JavaScript."""

from __future__ import annotations

import re

from django import forms
from django.test import TestCase

from ctnet.core import picker
from ctnet.core.models import Organisation, OrgKind, UNGroup, User
from ctnet.core.orgnames import fold, match_organisations
from ctnet.core.picker import OrganisationCodesField, OrganisationsField, PickerForm
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
        # Session, user, second-factor device, membership, one SELECT of the scope's
        # organisations: the same for one match and for twenty.
        with self.assertNumQueries(5):
            self.client.get(PICK, {"q": "ken", "scope": "community"})
        Organisation.objects.bulk_create(
            Organisation(code=f"K{i:02d}", kind=OrgKind.MEMBER_STATE, names={"en": f"Kenland {i}"})
            for i in range(20)
        )
        with self.assertNumQueries(5):
            response = self.client.get(PICK, {"q": "ken", "scope": "community"})
        self.assertEqual(len(values(response)), picker.RESULT_LIMIT)
        # With groups: also the sharing groups the sender may use (their members are one more
        # query when there is a group, see GroupTests).
        with self.assertNumQueries(6):
            self.client.get(PICK, {"q": "ken", "scope": "community", "groups": "1"})


class GroupTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from ctnet.exchange.services.bulletins import create_sharing_group

        cls.sahel = Organisation.objects.create(
            code="MLI", kind=OrgKind.MEMBER_STATE, names={"en": "Mali"}, un_group=UNGroup.AFRICAN
        )
        cls.group = create_sharing_group(
            acting_user=cls.alice, name="Sahel partners", members=[cls.sahel, cls.state_b]
        )

    def test_a_un_group_is_one_choice_in_any_language(self) -> None:
        self.login(self.charlie)
        response = self.client.get(PICK, {"q": "african", "scope": "community", "groups": "1"})
        # KEN's own coordinator: the group offers the other African state only.
        self.assertEqual(values(response)[0], "group:un:AFRICAN")
        self.assertContains(response, "Members: 1")
        self.client.cookies.load({"django_language": "fr"})
        response = self.client.get(
            PICK, {"q": "groupe des états d", "scope": "community", "groups": "1"}
        )
        self.assertIn("group:un:AFRICAN", values(response))

    def test_a_sharing_group_only_for_its_owner_and_members(self) -> None:
        self.login(self.alice)
        # Session, user, device, membership, organisations, the groups, their members.
        with self.assertNumQueries(7):
            response = self.client.get(PICK, {"q": "sahel", "scope": "community", "groups": "1"})
        self.assertEqual(values(response), [f"group:sharing:{self.group.pk}"])
        self.client.logout()
        self.login(self.sam)  # UNOCT is neither owner nor member
        response = self.client.get(PICK, {"q": "sahel", "scope": "community", "groups": "1"})
        self.assertEqual(values(response), [])

    def test_the_field_expands_a_group_to_its_addressable_members(self) -> None:
        class Form(PickerForm):
            to = OrganisationsField(scope="community")
            codes = OrganisationCodesField(required=False)

        form = Form(
            {"to": ["group:un:AFRICAN"], "codes": ["group:un:WESTERN_EUROPEAN_OTHERS"]},
            user=self.charlie,
        )
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(sorted(o.code for o in form.cleaned_data["to"]), ["MLI"])  # not KEN
        self.assertEqual(form.cleaned_data["codes"], ["FRA"])
        # KEN belongs to FRA's group: charlie may use it, for its members but his own state.
        form = Form({"to": [f"group:sharing:{self.group.pk}"]}, user=self.charlie)
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual([o.code for o in form.cleaned_data["to"]], ["MLI"])
        # UNOCT is neither owner nor member: the group is no choice of sam's.
        form = Form({"to": [f"group:sharing:{self.group.pk}"]}, user=self.sam)
        self.assertFalse(form.is_valid())
        self.assertIn("to", form.errors)
        form = Form({"to": [f"group:sharing:{self.group.pk}"]}, user=self.alice)
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(sorted(o.code for o in form.cleaned_data["to"]), ["KEN", "MLI"])

    def test_the_plain_select_without_javascript(self) -> None:
        class Form(PickerForm):
            to = OrganisationsField(scope="community")

        html = str(Form(user=self.alice)["to"])
        self.assertIn('<select name="to"', html)
        self.assertIn(" multiple", html)
        self.assertIn(f'<option value="{self.state_b.pk}">', html)
        self.assertIn('value="group:sharing:', html)
        self.assertNotIn(f'<option value="{self.state_a.pk}"', html)  # her own state
        self.assertIn('<div class="picker-ui" hidden>', html)  # shown only by picker.js
        form = Form({"to": [str(self.state_b.pk), str(self.sahel.pk)]}, user=self.alice)
        self.assertTrue(form.is_valid(), form.errors)
        form = Form({"to": [str(self.state_a.pk)]}, user=self.alice)
        self.assertFalse(form.is_valid())

    def test_codes_as_typed_before_still_post(self) -> None:
        class Form(forms.Form):
            codes = OrganisationCodesField(required=False)

        form = Form({"codes": "ken, TECH-X "})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["codes"], ["KEN", "TECH-X"])
        html = str(Form({"codes": "NOPE"})["codes"])
        self.assertIn('<option value="NOPE" selected>NOPE</option>', html)
