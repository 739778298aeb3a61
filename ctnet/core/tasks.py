"""Background tasks of the core app, run by ``ctnet worker`` (django-tasks database backend).

Invitation emails are *not* sent from here: the task table would then hold the invitation
secret until pruned. They go out on commit, in the request (see ``services.invite_member``).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ctnet.core import audit, notifications
from ctnet.core.models import Membership, User

logger = logging.getLogger(__name__)


@task()
def notify_membership_change(membership_id: int, change: str) -> None:
    """Tell a person, in their language, that their role changed or they were removed."""
    membership = (
        Membership.objects.select_related("user", "organisation").filter(pk=membership_id).first()
    )
    if membership is None or not membership.user.email:
        return
    with translation.override(membership.user.preferred_language or "en"):
        if change == "removed":
            body = _("You have been removed from %(org)s on ctnet.") % {
                "org": membership.organisation.name
            }
        else:
            body = _("Your role at %(org)s on ctnet is now: %(role)s.") % {
                "org": membership.organisation.name,
                "role": membership.get_role_display(),
            }
        send_mail(_("Your ctnet membership"), body, None, [membership.user.email])


@task()
def notify_failed_sign_ins(username: str) -> None:
    """Tell a person, in their language, that their account sees many wrong passwords.

    Their account is not locked (a stranger could then lock anyone out); they should know, and
    the secretariat can act. The notice is audited, so oversight sees targeted accounts too.
    """
    user = User.objects.filter(username__iexact=username, is_active=True).first()
    if user is None or not user.email:
        return
    with translation.override(user.preferred_language or "en"):
        body = _(
            "There were many failed attempts to sign in to your ctnet account %(username)s in "
            "the last hour, with wrong passwords. Your account is not locked. If these were "
            "not you, tell your organisation's coordinator or the network secretariat; your "
            "password and your second factor keep the account safe."
        ) % {"username": user.get_username()}
        send_mail(_("Failed sign-ins on your ctnet account"), body, None, [user.email])
    with transaction.atomic():
        audit.record("auth.failures_notice", obj=user)


@task()
def write_audit_checkpoint() -> str:
    """Scheduled: a signed checkpoint of the audit chain, appended to the file outside the database
    (``settings.AUDIT_CHECKPOINT_FILE``), so that a cut of the log's end is caught by ``ctnet audit
    verify`` even if an old, validly signed head is put back. A broken chain gets no checkpoint,
    which would vouch for the break; it is logged as an error for the operators instead."""
    point = audit.make_checkpoint()
    if isinstance(point, audit.VerifyResult):
        logger.error("audit chain broken, no checkpoint written: %s", point.reason)
        return f"broken: {point.reason}"
    audit.append_checkpoint(point, Path(settings.AUDIT_CHECKPOINT_FILE))
    return point.line()


@task()
def send_notice_digests() -> int:
    """Scheduled, daily: the digest e-mail of the day's notices to those who chose it."""
    return notifications.send_digests()
