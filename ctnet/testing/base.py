"""One test base with fixed people (STYLE.md 8).

- alice: national coordinator of state A (FRA)
- bob: officer of state A
- charlie: national coordinator of state B (KEN) — the outsider for A's material
- cso: civil-society member (no second factor required)
- olga: oversight officer (reads the audit log, never content)
- sam: network secretariat (UNOCT)
- pat: platform member of a technology company
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client, TestCase
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctnet.core import services
from ctnet.core.models import Membership, Organisation, OrgKind, Role, UNGroup, User

PASSWORD = "correct horse battery staple 42"  # noqa: S105 — test fixture


def make_org(code: str, kind: str = OrgKind.MEMBER_STATE, **extra: Any) -> Organisation:
    names = {"en": f"{code} (en)", "fr": f"{code} (fr)", "ar": f"{code} (ar)"}
    return Organisation.objects.create(code=code, kind=kind, names=names, **extra)


def make_person(username: str, org: Organisation, role: str, *, otp: bool = True) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    Membership.objects.create(user=user, organisation=org, role=role)
    if otp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"


class CtnetTestCase(TestCase):
    state_a: Organisation
    state_b: Organisation
    unoct: Organisation
    oversight_org: Organisation
    cso_org: Organisation
    tech_org: Organisation
    alice: User
    bob: User
    charlie: User
    cso: User
    olga: User
    sam: User
    pat: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.state_a = make_org("FRA", un_group=UNGroup.WESTERN_EUROPEAN_OTHERS)
        cls.state_b = make_org("KEN", un_group=UNGroup.AFRICAN)
        cls.unoct = make_org("UNOCT", OrgKind.UN_ENTITY)
        cls.oversight_org = make_org("OVERSIGHT", OrgKind.UN_ENTITY)
        cls.cso_org = make_org("CSO-X", OrgKind.CIVIL_SOCIETY)
        cls.tech_org = make_org("TECH-X", OrgKind.TECH_COMPANY)
        cls.alice = make_person("alice", cls.state_a, Role.NATIONAL_COORDINATOR)
        cls.bob = make_person("bob", cls.state_a, Role.OFFICER)
        cls.charlie = make_person("charlie", cls.state_b, Role.NATIONAL_COORDINATOR)
        cls.cso = make_person("cso", cls.cso_org, Role.CSO_MEMBER, otp=False)
        cls.olga = make_person("olga", cls.oversight_org, Role.OVERSIGHT)
        cls.sam = make_person("sam", cls.unoct, Role.SECRETARIAT)
        cls.pat = make_person("pat", cls.tech_org, Role.PLATFORM_MEMBER)

    def setUp(self) -> None:
        # Memberships are cached on user instances; tests get fresh ones after each change.
        for name in ("alice", "bob", "charlie", "cso", "olga", "sam", "pat"):
            getattr(self, name).forget_membership()

    # --- Signing in ----------------------------------------------------------------------------
    def login(self, user: User, client: Client | None = None) -> Client:
        """Sign in through the real pages: password, then the second factor."""
        client = client or self.client
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            response = client.post("/login/otp/", {"code": current_code(user)})
            assert response.status_code == 302, response.content
        return client

    def token_for(self, user: User, *, read_only: bool = False) -> str:
        return services.create_api_token(
            acting_user=user, name="test", read_only=read_only, expires_days=30
        ).plaintext

    # --- API calls -----------------------------------------------------------------------------
    def api(
        self, method: str, path: str, user: User | None = None, data: Any = None, **kw: Any
    ) -> Any:
        headers = {}
        if user is not None:
            headers["Authorization"] = f"Bearer {kw.pop('token', None) or self.token_for(user)}"
        body = json.dumps(data) if data is not None and not isinstance(data, str) else data
        return getattr(self.client, method.lower())(
            f"/api/v1{path}",
            data=body,
            content_type="application/json",
            headers=headers,
            **kw,
        )
