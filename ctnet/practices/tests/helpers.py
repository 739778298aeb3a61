"""A test base for the practice library: practices written and published through the services."""

from __future__ import annotations

from typing import Any

from ctnet.core.models import User
from ctnet.practices import services
from ctnet.practices.models import Practice
from ctnet.practices.validation import clean_practice
from ctnet.testing.base import CtnetTestCase


class PracticeTestCase(CtnetTestCase):
    @classmethod
    def write(cls, author: User, title: str, summary: str, **fields: Any) -> Practice:
        """A draft; embedding tasks run at commit, so the callbacks are run here."""
        raw = {"title": title, "summary": summary, "language": "fr", "themes": ["prisons"]}
        raw.update(fields)
        with cls.captureOnCommitCallbacks(execute=True):
            practice = services.create_practice(acting_user=author, data=clean_practice(raw))
        return practice

    @classmethod
    def publish(cls, practice: Practice, author: User, reviewer: User) -> Practice:
        services.transition_practice(acting_user=author, practice=practice, action="submit")
        services.transition_practice(acting_user=reviewer, practice=practice, action="publish")
        practice.refresh_from_db()
        return practice

    @classmethod
    def published(cls, author: User, title: str, summary: str, **fields: Any) -> Practice:
        reviewer = fields.pop("reviewer")
        return cls.publish(cls.write(author, title, summary, **fields), author, reviewer)

    def valid_payload(self, **extra: Any) -> dict[str, Any]:
        payload = {
            "title": "Programme de désengagement en milieu carcéral",
            "summary": "Accompagnement individuel des détenus radicalisés par des binômes.",
            "body": "Des binômes éducateur-psychologue suivent chaque détenu pendant un an.",
            "language": "fr",
            "themes": ["prisons", "pillar-1-conditions"],
            "regions": ["WESTERN_EUROPEAN_OTHERS"],
            "tlp": "GREEN",
        }
        payload.update(extra)
        return payload
