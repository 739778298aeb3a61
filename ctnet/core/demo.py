"""Core's demo data: reference organisations and one person per kind of role.

``ctnet.demo`` runs this first, then each capability's own demo.

Loading is idempotent: run twice, nothing is duplicated. Demo passwords are printed by the
command; they exist only in the embedded demo database.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctnet.core import audit
from ctnet.core.models import Membership, Organisation, OrgKind, Role, User
from ctnet.core.policy import OTP_OPTIONAL_ROLES
from ctnet.core.reference import load_reference_organisations

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 — printed by `ctnet demo`, demo database only

EXTRA_ORGS = [
    (
        "CSO-HRF",
        OrgKind.CIVIL_SOCIETY,
        {
            "en": "Human Rights and Security Forum (demo)",
            "fr": "Forum droits humains et sécurité (démo)",
            "es": "Foro de Derechos Humanos y Seguridad (demo)",
            "ru": "Форум по правам человека и безопасности (демо)",
            "zh": "人权与安全论坛（演示）",
            "ar": "منتدى حقوق الإنسان والأمن (تجريبي)",
        },
    ),
    (
        "TECH-VIDSHARE",
        OrgKind.TECH_COMPANY,
        {
            "en": "VidShare video platform (demo)",
            "fr": "Plateforme vidéo VidShare (démo)",
            "es": "Plataforma de vídeo VidShare (demo)",
            "ru": "Видеоплатформа VidShare (демо)",
            "zh": "VidShare 视频平台（演示）",
            "ar": "منصة الفيديو VidShare (تجريبي)",
        },
    ),
    (
        "OVERSIGHT",
        OrgKind.UN_ENTITY,
        {
            "en": "Network data-protection oversight",
            "fr": "Contrôle de la protection des données du réseau",
            "es": "Supervisión de la protección de datos de la red",
            "ru": "Надзор за защитой данных сети",
            "zh": "网络数据保护监督",
            "ar": "الرقابة على حماية البيانات في الشبكة",
        },
    ),
]

# username, organisation code, role, first name, last name, language
DEMO_PEOPLE = [
    ("secretariat", "UNOCT", Role.SECRETARIAT, "Amina", "Diallo", "en"),
    ("coord.fra", "FRA", Role.NATIONAL_COORDINATOR, "Claire", "Moreau", "fr"),
    ("officer.fra", "FRA", Role.OFFICER, "Julien", "Bernard", "fr"),
    ("coord.ken", "KEN", Role.NATIONAL_COORDINATOR, "Wanjiru", "Otieno", "en"),
    ("coord.jor", "JOR", Role.NATIONAL_COORDINATOR, "Omar", "Haddad", "ar"),
    ("coord.rus", "RUS", Role.NATIONAL_COORDINATOR, "Irina", "Volkova", "ru"),
    ("coord.chn", "CHN", Role.NATIONAL_COORDINATOR, "Li", "Wei", "zh-hans"),
    ("coord.col", "COL", Role.NATIONAL_COORDINATOR, "Camila", "Restrepo", "es"),
    ("interpol", "INTERPOL", Role.ENTITY_FOCAL_POINT, "Jonas", "Keller", "en"),
    ("cso.member", "CSO-HRF", Role.CSO_MEMBER, "Nadia", "Rahman", "en"),
    ("platform", "TECH-VIDSHARE", Role.PLATFORM_MEMBER, "Sam", "Okafor", "en"),
    ("oversight", "OVERSIGHT", Role.OVERSIGHT, "Eva", "Lindqvist", "en"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    password: str
    totp_key: str | None


def _totp_key(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


@transaction.atomic
def load_demo_people() -> list[DemoAccount]:
    """Reference organisations, demo organisations and one person per kind of role."""
    load_reference_organisations()
    for code, kind, names in EXTRA_ORGS:
        Organisation.objects.get_or_create(code=code, defaults={"kind": kind, "names": names})
    accounts = []
    created = 0
    for username, org_code, role, first, last, lang in DEMO_PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.ctnet.invalid",
                preferred_language=lang,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.create(
                user=user, organisation=Organisation.objects.get(code=org_code), role=role
            )
            if role not in OTP_OPTIONAL_ROLES:
                TOTPDevice.objects.create(user=user, name="demo authenticator", confirmed=True)
            created += 1
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        accounts.append(
            DemoAccount(
                username, role, org_code, DEMO_PASSWORD, _totp_key(device) if device else None
            )
        )
    if created:
        audit.record("demo.load", detail={"people": created})
    return accounts


def current_demo_code(username: str) -> str | None:
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is None:
        return None
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=0)
    return f"{code:0{device.digits}d}"
