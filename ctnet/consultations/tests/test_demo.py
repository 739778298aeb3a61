from __future__ import annotations

from django.test import TestCase

from ctnet.consultations.models import Consultation, Submission
from ctnet.core.models import User
from ctnet.demo import load_demo


class DemoTests(TestCase):
    def test_three_consultations_and_the_demo_member_can_take_part(self) -> None:
        load_demo()
        load_demo()
        by_status = dict(Consultation.objects.values_list("title", "status"))
        self.assertEqual(sorted(by_status.values()), ["open", "open", "published"])
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
        member = User.objects.get(username="cso.member")
        from ctnet.consultations.policy import policy

        for c in Consultation.objects.filter(status="open"):
            self.assertTrue(policy.can_take_part(member, c))
            self.assertFalse(c.participations.filter(user=member).exists())
