from __future__ import annotations

from django.test import Client

from ctnet.core import services
from ctnet.core.models import ApiToken, AuditEvent, Invitation, Membership, User
from ctnet.testing.base import PASSWORD, CtnetTestCase


class AnonymousTests(CtnetTestCase):
    def test_pages_redirect_to_login(self) -> None:
        for path in (
            "/",
            "/organisations/",
            f"/organisations/{self.state_a.pk}/",
            "/account/",
            "/audit/",
        ):
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302, path)
            self.assertTrue(response["Location"].startswith("/login/"), path)

    def test_posts_redirect_to_login_and_change_nothing(self) -> None:
        m = Membership.objects.get(user=self.bob)
        self.client.post(f"/members/{m.pk}/remove/")
        self.client.post(
            f"/organisations/{self.state_a.pk}/invite/", {"email": "a@b.org", "role": "OFFICER"}
        )
        self.assertTrue(Membership.objects.get(user=self.bob).is_active)
        self.assertFalse(Invitation.objects.exists())

    def test_healthz(self) -> None:
        response = self.client.get("/healthz")
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertEqual(self.client.post("/healthz").status_code, 405)


class OrganisationPageTests(CtnetTestCase):
    def test_list_and_filter(self) -> None:
        self.login(self.bob)
        response = self.client.get("/organisations/?kind=MEMBER_STATE")
        self.assertContains(response, "KEN")
        self.assertNotContains(response, "UNOCT")
        self.assertEqual(self.client.get("/organisations/?kind=EMPIRE").status_code, 400)

    def test_coordinator_sees_manage_controls_officer_does_not(self) -> None:
        self.login(self.alice)
        page = self.client.get(f"/organisations/{self.state_a.pk}/")
        self.assertContains(page, "Send invitation")
        self.assertContains(page, "bob")
        self.client.post("/logout/")
        self.login(self.bob)
        page = self.client.get(f"/organisations/{self.state_a.pk}/")
        self.assertNotContains(page, "Send invitation")
        self.assertContains(page, "alice")

    def test_other_state_does_not_see_members(self) -> None:
        self.login(self.charlie)
        page = self.client.get(f"/organisations/{self.state_a.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "bob")
        self.assertEqual(self.client.get("/organisations/999999/").status_code, 404)

    def test_invite_and_accept(self) -> None:
        self.login(self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                f"/organisations/{self.state_a.pk}/invite/",
                {"email": "dana@example.org", "role": "OFFICER"},
            )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Invitation.objects.get().email, "dana@example.org")

    def test_invite_refusals(self) -> None:
        self.login(self.bob)
        response = self.client.post(
            f"/organisations/{self.state_a.pk}/invite/",
            {"email": "dana@example.org", "role": "OFFICER"},
        )
        self.assertEqual(response.status_code, 403)
        self.client.post("/logout/")
        self.login(self.charlie)
        response = self.client.post(
            f"/organisations/{self.state_a.pk}/invite/",
            {"email": "dana@example.org", "role": "OFFICER"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.get(f"/organisations/{self.state_a.pk}/invite/").status_code, 405
        )
        self.assertFalse(Invitation.objects.exists())

    def test_member_management(self) -> None:
        m = Membership.objects.get(user=self.bob)
        self.login(self.charlie)
        self.assertEqual(self.client.post(f"/members/{m.pk}/remove/").status_code, 404)
        self.client.post("/logout/")
        self.login(self.alice)
        self.client.post(f"/members/{m.pk}/role/", {"role": "NATIONAL_COORDINATOR"})
        self.assertEqual(Membership.objects.get(pk=m.pk).role, "NATIONAL_COORDINATOR")
        self.client.post(f"/members/{m.pk}/remove/")
        self.assertFalse(Membership.objects.get(pk=m.pk).is_active)
        # A removed member can no longer sign in.
        client = Client()
        response = client.post("/login/", {"username": "bob", "password": PASSWORD})
        self.assertEqual(response.status_code, 400)


class InvitationAcceptTests(CtnetTestCase):
    def test_accept_creates_the_account_once(self) -> None:
        issued = services.invite_member(
            acting_user=self.alice,
            organisation=self.state_a,
            email="dana@example.org",
            role="OFFICER",
        )
        url = f"/invite/{issued.secret}/"
        self.assertContains(self.client.get(url), "Join the network")
        response = self.client.post(
            url, {"full_name": "Dana Scott", "username": "dana", "password": "short"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(User.objects.filter(username="dana").exists())
        response = self.client.post(
            url, {"full_name": "Dana Scott", "username": "dana", "password": PASSWORD}
        )
        self.assertRedirects(response, "/login/", fetch_redirect_response=False)
        self.assertEqual(User.objects.get(username="dana").membership.role, "OFFICER")
        # Used once; a second use is a 404, like an unknown secret.
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.get("/invite/not-a-real-secret/").status_code, 404)

    def test_taken_username(self) -> None:
        issued = services.invite_member(
            acting_user=self.alice,
            organisation=self.state_a,
            email="dana@example.org",
            role="OFFICER",
        )
        response = self.client.post(
            f"/invite/{issued.secret}/",
            {"full_name": "X", "username": "alice", "password": PASSWORD},
        )
        self.assertContains(response, "taken", status_code=400)
        self.assertIsNone(Invitation.objects.get().accepted_at)


class ProfileAndTokenPageTests(CtnetTestCase):
    def test_profile_language(self) -> None:
        self.login(self.alice)
        response = self.client.post(
            "/account/", {"first_name": "Alice", "last_name": "A", "language": "ar"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(User.objects.get(pk=self.alice.pk).preferred_language, "ar")
        response = self.client.post(
            "/account/", {"first_name": "A", "last_name": "A", "language": "xx"}
        )
        self.assertEqual(response.status_code, 400)

    def test_token_creation_needs_password_again(self) -> None:
        self.login(self.alice)
        response = self.client.post("/account/tokens/", {"name": "script", "expires_days": 30})
        self.assertTrue(response["Location"].startswith("/account/confirm/"))
        self.assertFalse(ApiToken.objects.exists())
        self.assertEqual(
            self.client.post("/account/confirm/", {"password": "wrong"}).status_code, 400
        )
        self.client.post("/account/confirm/", {"password": PASSWORD})
        response = self.client.post(
            "/account/tokens/", {"name": "script", "expires_days": 30, "read_only": "on"}
        )
        self.assertContains(response, "ctn_")
        token = ApiToken.objects.get()
        self.assertTrue(token.read_only)
        response = self.client.post("/account/tokens/", {"name": "x", "expires_days": 99999})
        self.assertEqual(response.status_code, 400)

    def test_cannot_revoke_someone_elses_token(self) -> None:
        services.create_api_token(acting_user=self.charlie, name="c")
        token = ApiToken.objects.get()
        self.login(self.alice)
        self.assertEqual(self.client.post(f"/account/tokens/{token.pk}/revoke/").status_code, 404)
        self.assertIsNone(ApiToken.objects.get().revoked_at)


class AuditPageTests(CtnetTestCase):
    def test_oversight_reads_and_filters(self) -> None:
        self.login(self.olga)
        page = self.client.get("/audit/?action=auth.")
        self.assertContains(page, "auth.login")
        self.assertEqual(self.client.get("/audit/?since=not-a-date").status_code, 400)

    def test_others_are_refused(self) -> None:
        for user in (self.alice, self.sam):
            client = self.login(user, Client())
            self.assertEqual(client.get("/audit/").status_code, 403)

    def test_oversight_sees_no_member_lists(self) -> None:
        self.login(self.olga)
        page = self.client.get(f"/organisations/{self.state_a.pk}/")
        self.assertNotContains(page, "bob")


class LanguageTests(CtnetTestCase):
    def test_arabic_is_right_to_left(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "ar", "next": "/login/"})
        page = self.client.get("/login/")
        self.assertContains(page, 'dir="rtl"')
        self.assertContains(page, 'lang="ar"')

    def test_every_language_translates_the_login_page(self) -> None:
        english = self.client.get("/login/", headers={"Accept-Language": "en"}).content.decode()
        self.assertIn("Sign in", english)
        for lang in ("ar", "zh-hans", "fr", "ru", "es"):
            page = Client().get("/login/", headers={"Accept-Language": lang}).content.decode()
            self.assertNotIn(">Sign in<", page, lang)
            self.assertNotIn("Access is by invitation only", page, lang)


class AuditOfWritesTests(CtnetTestCase):
    def test_every_service_write_leaves_an_audit_row(self) -> None:
        before = AuditEvent.objects.count()
        issued = services.invite_member(
            acting_user=self.alice, organisation=self.state_a, email="e@example.org", role="OFFICER"
        )
        services.revoke_invitation(acting_user=self.alice, invitation=issued.invitation)
        m = Membership.objects.get(user=self.bob)
        services.change_member_role(
            acting_user=self.alice, membership=m, role="NATIONAL_COORDINATOR"
        )
        services.update_profile(
            acting_user=self.alice, first_name="A", last_name="B", language="fr"
        )
        self.assertEqual(AuditEvent.objects.count() - before, 4)


class NotificationTests(CtnetTestCase):
    def test_role_change_and_removal_are_emailed_in_the_persons_language(self) -> None:
        from django.core import mail

        self.bob.preferred_language = "fr"
        self.bob.save()
        m = Membership.objects.get(user=self.bob)
        with self.captureOnCommitCallbacks(execute=True):
            services.change_member_role(
                acting_user=self.alice, membership=m, role="NATIONAL_COORDINATOR"
            )
        with self.captureOnCommitCallbacks(execute=True):
            services.deactivate_membership(acting_user=self.alice, membership=m)
        self.assertEqual([msg.to for msg in mail.outbox], [["bob@example.org"]] * 2)
        self.assertNotIn("You have been removed", mail.outbox[1].body)
