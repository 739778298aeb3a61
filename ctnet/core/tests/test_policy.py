from __future__ import annotations

from django.http import Http404

from ctnet.core.access import access_marked
from ctnet.core.markings import TLP, is_lowering, needs_release, normalise_handling
from ctnet.core.policy import policy
from ctnet.testing.base import CtnetTestCase
from ctnet.testing.specimens.models import Specimen


class MarkingTests(CtnetTestCase):
    def test_vocabulary(self) -> None:
        self.assertTrue(is_lowering(TLP.RED, TLP.AMBER))
        self.assertFalse(is_lowering(TLP.GREEN, TLP.AMBER_STRICT))
        self.assertEqual(normalise_handling("h2, H0,h2"), ["H0", "H2"])
        with self.assertRaises(ValueError):
            normalise_handling(["H9"])
        self.assertTrue(needs_release(TLP.GREEN, ["H2"]))
        self.assertTrue(needs_release(TLP.AMBER, []))
        self.assertFalse(needs_release(TLP.GREEN, ["H0"]))


class VisibilityTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()

        def make(title: str, tlp: str, by=None, orgs=(), users=()) -> Specimen:
            by = by or cls.alice
            s = Specimen(title=title, tlp=tlp, originator=by.membership.organisation, created_by=by)
            s.save()
            s.recipient_orgs.set(orgs)
            s.recipient_users.set(users)
            return s

        cls.clear = make("clear", TLP.CLEAR)
        cls.green = make("green", TLP.GREEN)
        cls.amber_own = make("amber-own", TLP.AMBER)
        cls.amber_shared = make("amber-shared", TLP.AMBER, orgs=[cls.state_b])
        cls.strict = make("strict", TLP.AMBER_STRICT, orgs=[cls.cso_org])
        cls.red_named = make("red-named", TLP.RED, users=[cls.charlie])
        cls.red_by_bob = make("red-by-bob", TLP.RED, by=cls.bob)

    def titles(self, user) -> set[str]:
        return set(Specimen.objects.visible_to(user).values_list("title", flat=True))

    def test_originator_state(self) -> None:
        self.assertEqual(
            self.titles(self.alice),
            {"clear", "green", "amber-own", "amber-shared", "strict", "red-named"},
        )
        # RED is for named people: a colleague in the same office does not see Alice's RED.
        self.assertEqual(
            self.titles(self.bob),
            {"clear", "green", "amber-own", "amber-shared", "strict", "red-by-bob"},
        )

    def test_other_state(self) -> None:
        self.assertEqual(self.titles(self.charlie), {"clear", "green", "amber-shared", "red-named"})

    def test_civil_society_sees_clear_and_what_is_shared_with_it(self) -> None:
        self.assertEqual(self.titles(self.cso), {"clear", "strict"})
        self.assertEqual(self.titles(self.pat), {"clear"})

    def test_oversight_and_anonymous_see_no_content(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assertEqual(self.titles(self.olga), set())
        self.assertEqual(self.titles(AnonymousUser()), set())

    def test_secretariat_has_no_special_reach(self) -> None:
        self.assertEqual(self.titles(self.sam), {"clear", "green"})

    def test_no_duplicates_from_joins(self) -> None:
        self.red_named.recipient_users.add(self.alice)
        self.red_named.recipient_orgs.add(self.state_a, self.state_b)
        titles = list(Specimen.objects.visible_to(self.charlie).values_list("title", flat=True))
        self.assertEqual(len(titles), len(set(titles)))

    def test_access_helper_answers_404_for_missing_and_forbidden(self) -> None:
        self.assertEqual(
            access_marked(self.charlie, Specimen, self.amber_shared.pk), self.amber_shared
        )
        with self.assertRaises(Http404):
            access_marked(self.charlie, Specimen, self.amber_own.pk)
        with self.assertRaises(Http404):
            access_marked(self.charlie, Specimen, 987654)

    def test_opening_amber_or_red_is_audited_green_is_not(self) -> None:
        from ctnet.core.models import AuditEvent

        access_marked(self.charlie, Specimen, self.amber_shared.pk)
        access_marked(self.charlie, Specimen, self.red_named.pk)
        access_marked(self.charlie, Specimen, self.green.pk)
        reads = AuditEvent.objects.filter(action="read", actor=self.charlie)
        self.assertEqual(
            sorted(reads.values_list("object_id", flat=True)),
            sorted([str(self.amber_shared.pk), str(self.red_named.pk)]),
        )
        self.assertEqual(reads.first().object_type, "specimens.specimen")

    def test_marking_raise_and_lower(self) -> None:
        # A recipient may raise a marking...
        self.assertTrue(policy.can_change_marking(self.charlie, self.amber_shared, TLP.RED, []))
        # ...but only the originator may lower it or drop a handling code.
        self.assertFalse(policy.can_change_marking(self.charlie, self.amber_shared, TLP.GREEN, []))
        self.assertTrue(policy.can_change_marking(self.bob, self.amber_shared, TLP.GREEN, []))
        self.amber_shared.handling = ["H2"]
        self.assertFalse(policy.can_change_marking(self.charlie, self.amber_shared, TLP.RED, []))
        # Nobody outside the readers may touch it at all.
        self.assertFalse(policy.can_change_marking(self.cso, self.amber_shared, TLP.RED, ["H2"]))
