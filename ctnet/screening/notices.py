"""What screening's services send: the notice (in the platform and by e-mail, as each person
chose) that a hit notice waits for a list owner.

Sent by ``services.review`` when a notice is committed; scheduled jobs that call services are
in ``tasks``. This module calls no service, so the two never import each other.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from ctnet.core.models import Membership
from ctnet.core.notifications import notify, recipients_among
from ctnet.screening.models import HitNotice
from ctnet.screening.policy import policy


def _hit_notice_text(url: str) -> tuple[str, str]:
    return (
        _("An entry of your watchlist was hit"),
        _(
            "Another organisation confirmed a hit on one of your watchlist's "
            "entries (four eyes). The notice is waiting for you: %(link)s"
        )
        % {"link": url},
    )


@task()
def send_hit_notice(notice_id: int) -> int:
    """Tell the list owner's screening people that a notice waits for them, in the platform
    and by e-mail as each chose; returns the e-mails sent.

    The notice names no one and no entry: the notice page, behind sign-in, holds the details.
    """
    notice = HitNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    people = recipients_among(
        Membership.objects.filter(
            organisation_id=notice.owner_id, role__in=sorted(policy.WATCHLIST_OWNER_ROLES)
        )
    )
    return notify(
        people,
        kind="screening.hit_notice",
        link=reverse("screening-notices"),
        compose=_hit_notice_text,
    )
