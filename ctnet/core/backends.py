"""The sign-in backend: Django's, with the person's membership fetched in the same query.

Every signed-in page asks who the person acts for (the policy reads ``active_membership``).
Django's ``ModelBackend.get_user`` loads the person alone, so each page paid a second query for the
membership and its organisation; fetched together they cost one (issue 18).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from ctnet.core.models import MEMBERSHIP_WITH_PERSON, User


class MemberBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = (
            User._default_manager.select_related(MEMBERSHIP_WITH_PERSON).filter(pk=user_id).first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        user.adopt_fetched_membership()
        return user
