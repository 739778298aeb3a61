"""Notices of consultations (queued after commit, run by the worker): in the platform, and by
e-mail as each person chose (``core.notifications.notify``).

A notice names neither the consultation nor its subject: a mailbox is read by others too, and
for a sender at risk the topic alone says too much. It says that a consultation opened or that a
response was published, with a link; the page it links to applies the access rules again. In
at-risk mode even the link is the list of consultations, not the consultation's own page, so
that a notice row or a mail never points at the topic. An anonymous sender gets no notice at
all: there is nobody to address, and nothing may be tied to them (they come back with the
receipt code).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from ctnet.consultations.models import Audience, Consultation, Status
from ctnet.core.models import Membership, OrgKind, Role
from ctnet.core.notifications import Recipient, notify, recipients_among

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


def audience_members(c: Consultation) -> list[Recipient]:
    """The civil-society members the consultation is open to (the same rule as
    ``policy.audience_q``), with what ``notify`` needs to reach each. A public consultation has
    none: its senders have no account, and it is open to no organisation as such."""
    if c.audience == Audience.PUBLIC:
        return []
    q = Q(organisation__kind=OrgKind.CIVIL_SOCIETY, role=Role.CSO_MEMBER)
    if c.audience == Audience.REGION:
        q &= Q(organisation__un_group=c.region)
    elif c.audience == Audience.NAMED:
        q &= Q(organisation__in=c.named_orgs.all())
    return recipients_among(Membership.objects.filter(q))


def notice_link(c: Consultation) -> str:
    """The consultation's page, or the list in at-risk mode (the address names nothing)."""
    if c.at_risk:
        return reverse("consultations")
    return reverse("consultation", args=[c.pk])


@task()
def notify_audience(consultation_id: int, status: str) -> int:
    """Tell the audience that the consultation opened or that its response is published;
    returns the e-mails sent."""
    c = Consultation.objects.filter(pk=consultation_id).first()
    if c is None or status not in NOTICES:
        return 0
    subject, body = NOTICES[Status(status)]
    return notify(
        audience_members(c),
        kind=f"consultations.{status}",
        link=notice_link(c),
        compose=lambda url: (_(subject), _(body) % {"link": url}),
    )


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
    """Tell the author of an identified or pseudonymous input; never which input or where (the
    link is the list). The services never call this for an anonymous input: it has no author."""
    if event not in AUTHOR_NOTICES:
        return 0
    subject, body = AUTHOR_NOTICES[event]
    return notify(
        recipients_among(Membership.objects.filter(user_id=user_id)),
        kind=f"consultations.input_{event}",
        link=reverse("consultations"),
        compose=lambda url: (_(subject), _(body) % {"link": url}),
    )
