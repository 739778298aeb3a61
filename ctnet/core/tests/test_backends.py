"""The person and their membership in one query, for sessions and tokens (issue 18)."""

from __future__ import annotations

from ctnet.core import services
from ctnet.core.backends import MemberBackend
from ctnet.core.models import Membership, Organisation
from ctnet.testing.base import CtnetTestCase


class MemberBackendTests(CtnetTestCase):
    def test_the_membership_comes_with_the_person(self) -> None:
        with self.assertNumQueries(1):
            user = MemberBackend().get_user(self.alice.pk)
            assert user is not None
            self.assertEqual(user.active_membership.organisation.code, "FRA")

    def test_an_inactive_membership_or_organisation_is_no_membership(self) -> None:
        Membership.objects.filter(user=self.bob).update(is_active=False)
        bob = MemberBackend().get_user(self.bob.pk)
        assert bob is not None
        with self.assertNumQueries(0):
            self.assertIsNone(bob.active_membership)
        Organisation.objects.filter(pk=self.state_b.pk).update(is_active=False)
        charlie = MemberBackend().get_user(self.charlie.pk)
        assert charlie is not None
        self.assertIsNone(charlie.active_membership)
        Membership.objects.filter(user=self.sam).delete()
        sam = MemberBackend().get_user(self.sam.pk)
        assert sam is not None
        self.assertIsNone(sam.active_membership)

    def test_an_inactive_person_or_unknown_id_signs_nobody_in(self) -> None:
        self.olga.is_active = False
        self.olga.save(update_fields=["is_active"])
        self.assertIsNone(MemberBackend().get_user(self.olga.pk))
        self.assertIsNone(MemberBackend().get_user(10**9))

    def test_a_token_of_a_former_member_is_refused(self) -> None:
        token = self.token_for(self.bob)
        self.assertIsNotNone(services.authenticate_token(token))
        Membership.objects.filter(user=self.bob).update(is_active=False)
        found = services.authenticate_token(token)
        assert found is not None  # the token itself is valid ...
        self.assertIsNone(found.user.active_membership)  # ... but its person acts for no one
        self.assertEqual(self.api("GET", "/me", self.bob, token=token).status_code, 401)

    def test_pages_sign_in_through_this_backend(self) -> None:
        self.login(self.alice)
        backend = self.client.session["_auth_user_backend"]
        self.assertEqual(backend, "ctnet.core.backends.MemberBackend")
