"""E-mail notices of consultations (queued after commit, run by the worker).

A notice names neither the consultation nor its subject: a mailbox is read by others too, and
for a sender at risk the topic alone says too much. It says that a consultation opened or that a
response was published, with a link to the list, where the access rules apply.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from ctnet.consultations.models import Audience, Consultation, Status
from ctnet.core.models import Membership, Role

NOTICES = {
    Status.OPEN: (
        gettext_noop("A consultation is open"),
        gettext_noop(
            "A consultation open to your organisation is waiting for your views: %(link)s"
        ),
    ),
    Status.PUBLISHED: (
        gettext_noop("A consultation response is published"),
        gettext_noop(
            "The response to a consultation open to your organisation is published: %(link)s"
        ),
    ),
}


def audience_members(c: Consultation) -> list[tuple[str, str]]:
    """(email, language) of the civil-society members the consultation is open to."""
    q = Q(organisation__kind="CIVIL_SOCIETY")
    if c.audience == Audience.REGION:
        q &= Q(organisation__un_group=c.region)
    elif c.audience == Audience.NAMED:
        q &= Q(organisation__in=c.named_orgs.all())
    rows = (
        Membership.objects.filter(q, is_active=True, role=Role.CSO_MEMBER, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", "user__preferred_language")
    )
    return [(email, lang or "en") for email, lang in rows]


@task()
def notify_audience(consultation_id: int, status: str) -> int:
    c = Consultation.objects.filter(pk=consultation_id).first()
    if c is None or status not in NOTICES:
        return 0
    subject, body = NOTICES[Status(status)]
    link = f"{settings.SITE_URL}{reverse('consultations')}"
    messages = []
    for email, lang in audience_members(c):
        with translation.override(lang):
            messages.append((_(subject), _(body) % {"link": link}, None, [email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


AUTHOR_NOTICES = {
    "hidden": (
        gettext_noop("An input of yours was hidden"),
        gettext_noop(
            "Participants reported an input of yours; it is hidden until a moderator decides. "
            "You may appeal: %(link)s"
        ),
    ),
    "reinstated": (
        gettext_noop("An input of yours was reinstated"),
        gettext_noop("A moderator reinstated an input of yours: %(link)s"),
    ),
    "taken_down": (
        gettext_noop("An input of yours was removed"),
        gettext_noop("A moderator removed an input of yours: %(link)s"),
    ),
}


@task()
def tell_author(user_id: int, event: str) -> int:
    """Tell the author of an identified or pseudonymous input; never which input or where."""
    row = (
        Membership.objects.filter(user_id=user_id, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", "user__preferred_language")
        .first()
    )
    if row is None or event not in AUTHOR_NOTICES:
        return 0
    email, lang = row
    subject, body = AUTHOR_NOTICES[event]
    with translation.override(lang or "en"):
        link = f"{settings.SITE_URL}{reverse('consultations')}"
        return send_mass_mail([(_(subject), _(body) % {"link": link}, None, [email])])
