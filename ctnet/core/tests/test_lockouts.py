"""Issue 13, item 6: limits stop attackers, not colleagues."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from ctnet.core.models import ApiToken, AuditEvent
from ctnet.testing.base import PASSWORD, CtnetTestCase

GATEWAY = "198.51.100.7"  # one office's shared address
ELSEWHERE = "203.0.113.9"


class TokenFailureTests(CtnetTestCase):
    def _get(self, token: str, ip: str = GATEWAY) -> int:
        response = self.client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR=ip
        )
        return response.status_code

    def test_an_expired_token_at_a_gateway_does_not_lock_out_valid_tokens(self) -> None:
        expired = self.token_for(self.bob)
        ApiToken.objects.filter(user=self.bob).update(expires_at=timezone.now() - timedelta(1))
        codes = [self._get(expired) for _ in range(25)]
        self.assertEqual(codes[0], 401)
        self.assertEqual(codes[-1], 429)  # the failing script is slowed down ...
        self.assertEqual(self._get(self.token_for(self.alice)), 200)  # ... its colleagues are not

    def test_failures_are_counted_per_prefix_from_any_address(self) -> None:
        valid = self.token_for(self.alice)
        prefix = valid.split("_")[1]
        codes = [self._get(f"ctn_{prefix}_guess{i}", ip=f"192.0.2.{i}") for i in range(22)]
        self.assertEqual(codes[0], 401)
        self.assertEqual(codes[-1], 429)  # a distributed guess at one token's secret is stopped
        self.assertEqual(self._get(f"ctn_{prefix}_another", ip="192.0.2.200"), 429)
        self.assertEqual(self._get(valid, ip="192.0.2.200"), 200)  # the owner's token still works
        self.assertEqual(self._get("ctn_otherprefix_x", ip="192.0.2.201"), 401)


class PasswordLockoutTests(CtnetTestCase):
    def _login(self, password: str, ip: str, username: str = "bob") -> int:
        response = self.client.post(
            "/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
        )
        return response.status_code

    def test_a_stranger_cannot_lock_the_owner_out(self) -> None:
        for _ in range(10):
            self._login("wrong", ELSEWHERE)
        self.assertEqual(self._login(PASSWORD, ELSEWHERE), 429)  # the guesser is stopped
        self.assertEqual(self._login(PASSWORD, GATEWAY), 302)  # the owner, at the office, is not

    def test_a_colleagues_typos_do_not_lock_the_office_out(self) -> None:
        for _ in range(8):
            self._login("wrong", GATEWAY, username="bob")
        self.assertEqual(self._login(PASSWORD, GATEWAY, username="alice"), 302)

    def test_offices_sign_in_all_morning(self) -> None:
        for _ in range(35):
            self.assertEqual(self._login(PASSWORD, GATEWAY, username="cso"), 302)
            self.client.post("/logout/")

    def test_the_owner_is_told_of_a_distributed_guessing_run_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for i in range(30):
                self._login("wrong", f"192.0.2.{i}")
        told = [m for m in mail.outbox if self.bob.email in m.to]
        self.assertEqual(len(told), 1)
        self.assertIn("bob", told[0].body)
        self.assertIn("not locked", told[0].body)
        self.assertTrue(AuditEvent.objects.filter(action="auth.failures_notice").exists())
        self.assertEqual(self._login(PASSWORD, "192.0.2.250"), 302)

    def test_no_notice_for_an_unknown_name(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for i in range(30):
                self._login("wrong", f"192.0.2.{i}", username="nobody-here")
        self.assertEqual(mail.outbox, [])
