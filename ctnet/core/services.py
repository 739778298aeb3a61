"""Every write of the core app: one function each, atomic, with its audit row.

Callers (views, API, CLI) validate the shape of the input; these functions check the policy
again and raise ``PermissionDenied`` or ``ValidationError``, so no entry point can skip a rule.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctnet.core import audit
from ctnet.core.models import (
    MEMBERSHIP_WITH_PERSON,
    ApiToken,
    Invitation,
    Membership,
    NoticeEmail,
    Organisation,
    User,
)
from ctnet.core.policy import policy
from ctnet.core.tasks import notify_membership_change
from ctnet.core.timezones import validate_time_zone

TOKEN_PREFIX = "ctn"  # noqa: S105 — a public marker, not a secret


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- Invitations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    secret: str  # sent by email, shown once; never stored


def invite_member(
    *, acting_user: User, organisation: Organisation, email: str, role: str
) -> IssuedInvitation:
    if not policy.can_grant_role(acting_user, organisation, role):
        raise PermissionDenied(_("You may not invite someone with this role to this organisation."))
    email = email.strip().lower()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            organisation=organisation,
            role=role,
            token_hash=_sha256(secret),
            invited_by=acting_user,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
        )
        audit.record(
            "invitation.create",
            actor=acting_user,
            obj=invitation,
            detail={"email": email, "organisation": organisation.code, "role": role},
        )
        link = f"{settings.SITE_URL}/invite/{secret}/"
        # Sent after commit: a rolled-back invitation must not leave a working link in a mailbox.
        transaction.on_commit(
            lambda: send_mail(
                _("Invitation to the counter-terrorism coordinators network"),
                _("You have been invited to join %(org)s on ctnet. Accept here: %(link)s")
                % {"org": organisation.name, "link": link},
                None,
                [email],
            )
        )
    return IssuedInvitation(invitation, secret)


def find_open_invitation(secret: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=_sha256(secret)).first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def accept_invitation(*, secret: str, username: str, password: str, full_name: str) -> User:
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=_sha256(secret)).first()
        )
        if invitation is None or not invitation.is_open:
            raise ValidationError(_("This invitation is not valid or has expired."))
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."))
        first, _sep, last = full_name.strip().partition(" ")
        user = User(username=username, email=invitation.email, first_name=first, last_name=last)
        validate_password(password, user)
        user.set_password(password)
        try:
            # A savepoint, so that losing a race for the same username leaves the outer
            # transaction usable for the clear error below instead of a 500.
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError(_("This username is taken.")) from None
        Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            "invitation.accept",
            actor=user,
            obj=invitation,
            organisation=invitation.organisation,
            detail={"username": username, "role": invitation.role},
        )
    return user


def revoke_invitation(*, acting_user: User, invitation: Invitation) -> None:
    if not policy.can_manage_members(acting_user, invitation.organisation):
        raise PermissionDenied(_("You may not manage this organisation's members."))
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record("invitation.revoke", actor=acting_user, obj=invitation)


# --- Memberships -----------------------------------------------------------------------------


def change_member_role(*, acting_user: User, membership: Membership, role: str) -> Membership:
    org = membership.organisation
    if not policy.can_manage_members(acting_user, org) or not policy.can_grant_role(
        acting_user, org, role
    ):
        raise PermissionDenied(_("You may not give this role."))
    if membership.user_id == acting_user.pk:
        raise PermissionDenied(_("You cannot change your own role."))
    with transaction.atomic():
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            "membership.role", actor=acting_user, obj=membership, detail={"from": old, "to": role}
        )
        transaction.on_commit(lambda: notify_membership_change.enqueue(membership.pk, "role"))
    membership.user.forget_membership()
    return membership


def deactivate_membership(*, acting_user: User, membership: Membership) -> None:
    if not policy.can_manage_members(acting_user, membership.organisation):
        raise PermissionDenied(_("You may not manage this organisation's members."))
    if membership.user_id == acting_user.pk:
        raise PermissionDenied(_("You cannot remove yourself."))
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        # A removed member's API tokens stop working at once, not at their expiry.
        ApiToken.objects.filter(user_id=membership.user_id, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        audit.record("membership.deactivate", actor=acting_user, obj=membership)
        transaction.on_commit(lambda: notify_membership_change.enqueue(membership.pk, "removed"))


# --- Profile and second factor ---------------------------------------------------------------


def update_profile(
    *, acting_user: User, first_name: str, last_name: str, language: str, time_zone: str = ""
) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    validate_time_zone(time_zone)
    with transaction.atomic():
        acting_user.first_name = first_name.strip()[:150]
        acting_user.last_name = last_name.strip()[:150]
        acting_user.preferred_language = language
        acting_user.time_zone = time_zone
        acting_user.save(
            update_fields=["first_name", "last_name", "preferred_language", "time_zone"]
        )
        audit.record("profile.update", actor=acting_user, obj=acting_user)
    return acting_user


def set_notice_email(*, acting_user: User, notice_email: str) -> User:
    """How the person gets notices by e-mail: each, a daily digest, or none (in-app always)."""
    if notice_email not in NoticeEmail.values:
        raise ValidationError(_("Choose how notices reach you by e-mail."))
    with transaction.atomic():
        acting_user.notice_email = notice_email
        acting_user.save(update_fields=["notice_email"])
        audit.record(
            "profile.notice_email", actor=acting_user, obj=acting_user, detail={"to": notice_email}
        )
    return acting_user


# Enough for a few lost phones in a row; each code works once.
RECOVERY_CODES = 10


def issue_recovery_codes(*, acting_user: User) -> list[str]:
    """A new set of single-use recovery codes (django-otp's static device); the old set stops
    working. Shown once to the person; what is stored is django-otp's, which keeps them as is."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=acting_user).delete()
        device = StaticDevice.objects.create(user=acting_user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        audit.record("otp.recovery_codes", actor=acting_user, obj=acting_user)
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def start_totp_enrolment(*, acting_user: User) -> TOTPDevice:
    """An unconfirmed device whose secret the user loads into an authenticator app."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=acting_user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=acting_user, name="authenticator", confirmed=False)
    return device


def confirm_totp_enrolment(*, acting_user: User, device: TOTPDevice, code: str) -> bool:
    if device.user_id != acting_user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(code.strip()):
        return False
    with transaction.atomic():
        # One authenticator per person: a new one replaces the old (e.g. a lost phone).
        TOTPDevice.objects.filter(user=acting_user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record("otp.enrol", actor=acting_user, obj=acting_user)
    return True


# --- API tokens ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once


def create_api_token(
    *, acting_user: User, name: str, read_only: bool = False, expires_days: int = 90
) -> IssuedToken:
    if not policy.is_member(acting_user):
        raise PermissionDenied(_("Only network members can hold API tokens."))
    if not 1 <= expires_days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("Expiry must be between 1 and %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}
        )
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=acting_user,
            name=name.strip()[:100] or "token",
            prefix=prefix,
            # A 256-bit random secret needs no slow hash: SHA-256 cannot be brute-forced back.
            secret_hash=_sha256(secret),
            read_only=read_only,
            expires_at=timezone.now() + timedelta(days=expires_days),
        )
        audit.record(
            "token.create",
            actor=acting_user,
            obj=token,
            detail={"read_only": read_only, "expires_days": expires_days},
        )
    return IssuedToken(token, f"{TOKEN_PREFIX}_{prefix}_{secret}")


def revoke_api_token(*, acting_user: User, token: ApiToken) -> None:
    if token.user_id != acting_user.pk:
        raise PermissionDenied
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("token.revoke", actor=acting_user, obj=token)


def authenticate_token(plaintext: str) -> ApiToken | None:
    """The token for this bearer string, if it is well formed, known, unexpired and unrevoked."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    # One query for the token, its person and their membership with its organisation: the two
    # queries this took before were most of what an API call cost (issue 18, a profile of
    # /api/v1/me: Django compiling them, not the database answering).
    token = (
        ApiToken.objects.select_related(f"user__{MEMBERSHIP_WITH_PERSON}")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not token.is_usable() or not token.user.is_active:
        return None
    if not secrets.compare_digest(token.secret_hash, _sha256(parts[2])):
        return None
    token.user.adopt_fetched_membership()
    now = timezone.now()
    # Written at most once a minute: a busy script must not turn every read into a write.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- Audit helpers for reads and sign-ins ----------------------------------------------------


def record_sign_in(*, user: User, method: str) -> None:
    with transaction.atomic():
        audit.record("auth.login", actor=user, obj=user, detail={"method": method})


def record_failed_sign_in(*, username: str, reason: str) -> None:
    # The attempted name is kept (not the password): repeated failures show who is targeted.
    with transaction.atomic():
        audit.record("auth.login_failed", detail={"username": username[:150], "reason": reason})


def record_read(*, acting_user: Any, obj: Any, why: str = "") -> None:
    """Log a read of person-related or RED/AMBER material (DESIGN.md rule 5)."""
    with transaction.atomic():
        audit.record("read", actor=acting_user, obj=obj, detail={"why": why} if why else None)
