"""What screening's services send: the e-mail that a hit notice waits for a list owner.

Sent by ``services.review`` when a notice is committed; scheduled jobs that call services are
in ``tasks``. This module calls no service, so the two never import each other.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ctnet.core.models import Membership
from ctnet.screening.models import HitNotice
from ctnet.screening.policy import policy


@task()
def send_hit_notice(notice_id: int) -> int:
    """E-mail the list owner's screening people that a notice waits for them.

    The mail names no one and no entry: the notice page, behind sign-in, holds the details.
    """
    notice = HitNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        return 0
    rows = (
        Membership.objects.filter(
            organisation_id=notice.owner_id,
            is_active=True,
            role__in=sorted(policy.WATCHLIST_OWNER_ROLES),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("user__email", "user__preferred_language")
    )
    messages = []
    for email, lang in rows:
        with translation.override(lang or "en"):
            link = f"{settings.SITE_URL}{reverse('screening-notices')}"
            messages.append(
                (
                    _("An entry of your watchlist was hit"),
                    _(
                        "Another organisation confirmed a hit on one of your watchlist's "
                        "entries (four eyes). The notice is waiting for you: %(link)s"
                    )
                    % {"link": link},
                    None,
                    [email],
                )
            )
    return send_mass_mail(messages, fail_silently=False) if messages else 0
