from __future__ import annotations

from django.test import override_settings

from ctnet.core.models import AuditEvent, RateLimitBucket
from ctnet.testing.base import PASSWORD, CtnetTestCase, current_code


class LoginTests(CtnetTestCase):
    def test_password_then_second_factor(self) -> None:
        response = self.client.post("/login/", {"username": "alice", "password": PASSWORD})
        self.assertRedirects(response, "/login/otp/?next=%2F", fetch_redirect_response=False)
        # Password alone opens nothing.
        self.assertEqual(self.client.get("/").status_code, 302)
        response = self.client.post("/login/otp/", {"code": current_code(self.alice)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(action="auth.login", actor=self.alice).exists())

    def test_wrong_password_is_refused_and_audited(self) -> None:
        response = self.client.post("/login/", {"username": "alice", "password": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Wrong username or password", status_code=400)
        event = AuditEvent.objects.get(action="auth.login_failed")
        self.assertEqual(event.detail["username"], "alice")

    def test_wrong_second_factor_is_refused(self) -> None:
        self.client.post("/login/", {"username": "alice", "password": PASSWORD})
        response = self.client.post("/login/otp/", {"code": "000000"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_malformed_second_factor_gets_a_message(self) -> None:
        self.client.post("/login/", {"username": "alice", "password": PASSWORD})
        response = self.client.post("/login/otp/", {"code": "abc"})
        self.assertContains(response, "six digits", status_code=400)

    def test_login_rate_limit_per_account(self) -> None:
        for _ in range(8):
            self.client.post("/login/", {"username": "bob", "password": "wrong"})
        response = self.client.post("/login/", {"username": "bob", "password": PASSWORD})
        self.assertEqual(response.status_code, 429)
        self.assertTrue(RateLimitBucket.objects.exists())

    def test_second_factor_rate_limit(self) -> None:
        self.client.post("/login/", {"username": "bob", "password": PASSWORD})
        for _ in range(6):
            self.client.post("/login/otp/", {"code": "000000"})
        response = self.client.post("/login/otp/", {"code": current_code(self.bob)})
        self.assertEqual(response.status_code, 429)

    def test_civil_society_member_needs_no_second_factor(self) -> None:
        response = self.client.post("/login/", {"username": "cso", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/").status_code, 200)

    # django-otp slows retries after a wrong code; this test retries at once on purpose.
    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
    def test_role_that_needs_otp_without_device_must_enrol(self) -> None:
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.filter(user=self.bob).delete()
        response = self.client.post("/login/", {"username": "bob", "password": PASSWORD})
        self.assertRedirects(response, "/account/otp/setup/", fetch_redirect_response=False)
        self.assertRedirects(
            self.client.get("/organisations/"), "/account/otp/setup/", fetch_redirect_response=False
        )
        page = self.client.get("/account/otp/setup/")
        self.assertContains(page, "data:image/svg+xml;base64,")
        device = TOTPDevice.objects.get(user=self.bob, confirmed=False)
        self.assertEqual(
            self.client.post("/account/otp/setup/", {"code": "123456"}).status_code, 400
        )
        code = f"{totp(device.bin_key):06d}"
        response = self.client.post("/account/otp/setup/", {"code": code})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/organisations/").status_code, 200)
        self.assertTrue(TOTPDevice.objects.get(user=self.bob).confirmed)

    def test_open_redirect_is_refused(self) -> None:
        response = self.client.post(
            "/login/?next=https://evil.example/",
            {"username": "cso", "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertEqual(response["Location"], "/")

    def test_logout_needs_post(self) -> None:
        self.login(self.alice)
        self.assertEqual(self.client.get("/logout/").status_code, 405)
        self.client.post("/logout/")
        self.assertEqual(self.client.get("/").status_code, 302)

    @override_settings(SESSION_IDLE_MINUTES=0)
    def test_idle_session_ends(self) -> None:
        self.login(self.cso)
        session = self.client.session
        session["ctnet_last_seen"] = 1
        session.save()
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_csrf_is_enforced_on_pages(self) -> None:
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        response = client.post("/login/", {"username": "cso", "password": PASSWORD})
        self.assertContains(response, "session has expired", status_code=403)

    def test_security_headers(self) -> None:
        response = self.client.get("/login/")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("camera=()", response["Permissions-Policy"])


class RecoveryCodeTests(CtnetTestCase):
    def _codes(self, user, sets: int = 1) -> list[list[str]]:
        """Sign in once, confirm the password, make ``sets`` sets of codes, sign out."""
        client = self.login(user)
        response = client.post("/account/recovery-codes/")
        self.assertTrue(response["Location"].startswith("/account/confirm/"))  # password again
        client.post("/account/confirm/", {"password": PASSWORD})
        made = []
        for _ in range(sets):
            page = client.post("/account/recovery-codes/")
            self.assertEqual(page.status_code, 200)
            made.append(page.context["codes"])
            self.assertEqual(len(made[-1]), 10)
        self.assertContains(client.get("/account/"), "You have 10 unused codes.")
        self.assertEqual(client.get("/account/recovery-codes/").status_code, 405)
        client.post("/logout/")
        return made

    def test_a_lost_phone_signs_in_once_per_code_and_is_sent_to_enrol(self) -> None:
        [codes] = self._codes(self.alice)
        self.client.post("/login/", {"username": "alice", "password": PASSWORD})
        response = self.client.post("/login/otp/", {"code": f" {codes[0].upper()} "})
        self.assertRedirects(response, "/account/otp/setup/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)
        event = AuditEvent.objects.filter(action="auth.login", actor=self.alice).last()
        self.assertEqual(event.detail["method"], "password+recovery-code")
        self.client.post("/logout/")
        # The same code a second time opens nothing.
        self.client.post("/login/", {"username": "alice", "password": PASSWORD})
        again = self.client.post("/login/otp/", {"code": codes[0]})
        self.assertEqual(again.status_code, 400)
        self.assertEqual(self.client.get("/").status_code, 302)

    # django-otp slows retries after a wrong code; this test retries at once on purpose.
    @override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)
    def test_a_new_set_replaces_the_old(self) -> None:
        old, new = self._codes(self.bob, sets=2)
        self.client.post("/login/", {"username": "bob", "password": PASSWORD})
        self.assertEqual(self.client.post("/login/otp/", {"code": old[1]}).status_code, 400)
        self.assertEqual(self.client.post("/login/otp/", {"code": new[1]}).status_code, 302)
        self.assertEqual(AuditEvent.objects.filter(action="otp.recovery_codes").count(), 2)

    def test_codes_need_a_signed_in_member(self) -> None:
        response = self.client.post("/account/recovery-codes/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/login/"))
