"""The organisation picker's groups as one choice (issue 14, item 2), with exchange's sharing
groups: core's tests may not use a capability, so they live here."""

from __future__ import annotations

import re

from django import forms

from ctnet.core.models import Organisation, OrgKind, UNGroup
from ctnet.core.picker import OrganisationCodesField, OrganisationsField, PickerForm
from ctnet.exchange.services.bulletins import create_sharing_group
from ctnet.testing.base import CtnetTestCase

PICK = "/organisations/pick/"


def values(response) -> list[str]:
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


class GroupTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
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
        # Session, user with membership, device, organisations, the groups, their members.
        with self.assertNumQueries(6):
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
