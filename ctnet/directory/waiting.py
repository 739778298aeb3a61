"""What waits in the directory: the organisation's own entries past their re-confirmation.

For those who may edit their organisation's entries (its coordinator or focal
point, the secretariat for its own); the count links to the search that lists exactly them.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ctnet.core.capabilities import Waiting
from ctnet.directory.models import ContactPoint, reconfirm_cutoff
from ctnet.directory.policy import policy


def directory_waiting(user: Any) -> list[Waiting]:
    membership = user.active_membership
    if not policy.can_use_directory(user) or not policy.can_edit_directory(
        user, membership.organisation
    ):
        return []
    org = membership.organisation
    stale = ContactPoint.objects.filter(
        organisation_id=org.pk, is_active=True, last_confirmed_at__lt=reconfirm_cutoff()
    )
    url = f"{reverse('directory')}?{urlencode({'country': org.code, 'stale': 'yes'})}"
    return [Waiting(_("Directory entries to re-confirm"), stale, url, "directory")]
