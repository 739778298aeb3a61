from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.test import TestCase, override_settings

from ctnet.consultations.models import Consultation, Submission
from ctnet.core.models import User
from ctnet.demo import demo_notes, load_demo


class DemoTests(TestCase):
    def test_three_consultations_and_the_demo_member_can_take_part(self) -> None:
        load_demo()
        load_demo()
        by_status = dict(Consultation.objects.values_list("title", "status"))
        self.assertEqual(sorted(by_status.values()), ["open", "open", "open", "published"])
        self.assertEqual(Consultation.objects.filter(at_risk=True, status="open").count(), 1)
        languages = set(Submission.objects.values_list("language", flat=True))
        self.assertGreaterEqual(len(languages), 4)
        published = Consultation.objects.get(status="published")
        self.assertFalse(published.submissions.filter(theme__isnull=True).exists())
        self.assertEqual(published.results.filter(parent=None).count(), 1)
        # Demo projects answer the published themes and demo commitments (issue 16), once
        # however often the demo loads; each link has its audit row.
        from ctnet.consultations.models import ThemeProject
        from ctnet.coordination.demo import ANSWER_PAIRS
        from ctnet.coordination.models import CommitmentProject
        from ctnet.core.models import AuditEvent

        self.assertEqual(ThemeProject.objects.count(), 2 * published.themes.count())
        self.assertEqual(CommitmentProject.objects.count(), ANSWER_PAIRS)
        self.assertEqual(
            AuditEvent.objects.filter(action__endswith="_project_linked").count(),
            ANSWER_PAIRS + ThemeProject.objects.count(),
        )
        # The published one is on a demo action plan, the at-risk one on a demo project
        # (issue 15); the open one on guidelines the platform does not hold.
        from ctnet.coordination.models import ActionPlan
        from ctnet.monitoring.models import Project

        at_risk = Consultation.objects.get(at_risk=True)
        self.assertEqual(published.subject_kind, "action_plan")
        self.assertTrue(ActionPlan.objects.filter(pk=published.subject_ref or 0).exists())
        self.assertEqual(at_risk.subject_kind, "programme")
        self.assertIn(
            "Children of returning", Project.objects.get(pk=at_risk.subject_ref or 0).title
        )
        member = User.objects.get(username="cso.member")
        from ctnet.consultations.policy import policy

        for c in Consultation.objects.filter(status="open").exclude(audience="public"):
            self.assertTrue(policy.can_take_part(member, c))
            self.assertFalse(c.participations.filter(user=member).exists())

    def test_the_public_consultation_and_its_link_printed_at_every_start(self) -> None:
        with (
            tempfile.TemporaryDirectory() as data,
            override_settings(DEMO=True, DATA_DIR=Path(data)),
        ):
            load_demo()
            notes = demo_notes()
            self.assertEqual(len(notes), 1, notes)
            url = notes[0].rsplit(" ", 1)[1]
            public = Consultation.objects.get(audience="public")
            self.assertEqual((public.status, public.mode), ("open", "anonymous"))
            path = urlsplit(url).path
            self.assertEqual(self.client.get(path).status_code, 200)
            # Again: the same consultation and the same link (nothing replaced).
            load_demo()
            self.assertEqual(demo_notes(), notes)
            self.assertEqual(Consultation.objects.filter(audience="public").count(), 1)
            # The token kept by the demo lost: a new link, printed, and the old one dead.
            (Path(data) / "demo-public-link").unlink()
            self.assertEqual(demo_notes(), [])
            load_demo()
            self.assertNotEqual(demo_notes(), notes)
            self.assertEqual(self.client.get(path).status_code, 404)
            self.assertEqual(Consultation.objects.count(), 4)

    def test_outside_the_demo_no_token_is_written(self) -> None:
        load_demo()
        self.assertEqual(demo_notes(), [])
        self.assertTrue(Consultation.objects.get(audience="public").public_link_hash)
