from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ctnet.core.models import ApiToken, AuditEvent, Invitation, Membership, Role
from ctnet.testing.base import CtnetTestCase


class TokenAuthTests(CtnetTestCase):
    def test_anonymous_is_refused(self) -> None:
        response = self.api("GET", "/me")
        self.assertEqual(response.status_code, 401)
        self.assertIn("detail", response.json())

    def test_malformed_and_unknown_tokens(self) -> None:
        for bad in ("garbage", "ctn_x", "ctn_abc_def", "Bearer"):
            response = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {bad}"})
            self.assertEqual(response.status_code, 401, bad)

    def test_token_is_stored_hashed_and_works(self) -> None:
        token = self.token_for(self.alice)
        stored = ApiToken.objects.get(user=self.alice)
        self.assertNotIn(token.split("_", 2)[2], stored.secret_hash)
        response = self.api("GET", "/me", self.alice, token=token)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["organisation"]["code"], "FRA")
        self.assertEqual(response.json()["role"], Role.NATIONAL_COORDINATOR)

    def test_expired_and_revoked_tokens_fail(self) -> None:
        token = self.token_for(self.alice)
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(self.api("GET", "/me", self.alice, token=token).status_code, 401)
        token = self.token_for(self.alice)
        ApiToken.objects.filter(revoked_at=None, expires_at__gt=timezone.now()).update(
            revoked_at=timezone.now()
        )
        self.assertEqual(self.api("GET", "/me", self.alice, token=token).status_code, 401)

    def test_read_only_token_cannot_write(self) -> None:
        token = self.token_for(self.alice, read_only=True)
        self.assertEqual(self.api("GET", "/me", self.alice, token=token).status_code, 200)
        response = self.api(
            "POST",
            f"/organisations/{self.state_a.pk}/invitations",
            self.alice,
            {"email": "new@example.org", "role": "OFFICER"},
            token=token,
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["detail"], "This token is read-only.")
        self.assertFalse(Invitation.objects.exists())

    def test_removed_member_token_stops_working(self) -> None:
        token = self.token_for(self.bob)
        membership = Membership.objects.get(user=self.bob)
        response = self.api("DELETE", f"/memberships/{membership.pk}", self.alice)
        self.assertEqual(response.status_code, 204)
        self.assertEqual(self.api("GET", "/me", self.bob, token=token).status_code, 401)

    def test_session_without_second_factor_is_not_enough(self) -> None:
        self.client.post(
            "/login/", {"username": "alice", "password": "correct horse battery staple 42"}
        )
        self.assertEqual(self.client.get("/api/v1/me").status_code, 401)
        self.login(self.alice)
        self.assertEqual(self.client.get("/api/v1/me").status_code, 200)

    def test_error_messages_follow_the_language(self) -> None:
        response = self.client.get("/api/v1/me", headers={"Accept-Language": "fr"})
        self.assertEqual(response.status_code, 401)
        self.assertNotEqual(
            response.json()["detail"], "Authentication required: a valid, unexpired token."
        )


class OrganisationApiTests(CtnetTestCase):
    def test_list_is_paginated(self) -> None:
        response = self.api("GET", "/organisations?limit=2", self.alice)
        body = response.json()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(body["count"], 6)
        self.assertEqual(len(body["items"]), 2)

    def test_filters(self) -> None:
        body = self.api(
            "GET", "/organisations?kind=MEMBER_STATE&un_group=AFRICAN", self.alice
        ).json()
        self.assertEqual([o["code"] for o in body["items"]], ["KEN"])
        body = self.api("GET", "/organisations?country=fra", self.alice).json()
        self.assertEqual([o["code"] for o in body["items"]], ["FRA"])

    def test_unknown_country_code(self) -> None:
        response = self.api("GET", "/organisations?country=XYZ", self.alice)
        self.assertEqual(response.status_code, 400)
        self.assertIn("XYZ", response.json()["detail"])
        self.assertLess(len(response.json()["detail"]), 200)  # one sentence, not every code
        response = self.api("GET", "/organisations?country=" + "X" * 101, self.alice)
        self.assertEqual(response.status_code, 422)
        self.assertIn("country", response.json()["detail"])

    def test_a_country_by_name(self) -> None:
        self.state_a.names = {"en": "France", "es": "Francia", "ru": "Франция", "zh": "法国"}
        self.state_a.save()
        for name in ("France", "francia", "Франция", "法国", "FR"):
            body = self.api("GET", f"/organisations?country={name}", self.alice).json()
            self.assertEqual([o["code"] for o in body["items"]], ["FRA"], name)
        body = self.api("GET", "/organisations?q=franc", self.alice).json()
        self.assertEqual([o["code"] for o in body["items"]], ["FRA"])

    def test_members_visible_to_own_org_only(self) -> None:
        ok = self.api("GET", f"/organisations/{self.state_a.pk}/members", self.bob)
        self.assertEqual(ok.status_code, 200)
        self.assertEqual({m["username"] for m in ok.json()["items"]}, {"alice", "bob"})
        # Another state's people: the outsider gets a 404, like a missing organisation.
        self.assertEqual(
            self.api("GET", f"/organisations/{self.state_a.pk}/members", self.charlie).status_code,
            404,
        )
        self.assertEqual(
            self.api("GET", "/organisations/999999/members", self.charlie).status_code, 404
        )
        # The secretariat sees every organisation's members.
        self.assertEqual(
            self.api("GET", f"/organisations/{self.state_a.pk}/members", self.sam).status_code, 200
        )

    def test_missing_organisation(self) -> None:
        self.assertEqual(self.api("GET", "/organisations/999999", self.alice).status_code, 404)


class InvitationApiTests(CtnetTestCase):
    def test_coordinator_invites_an_officer(self) -> None:
        from django.core import mail

        with self.captureOnCommitCallbacks(execute=True):
            response = self.api(
                "POST",
                f"/organisations/{self.state_a.pk}/invitations",
                self.alice,
                {"email": "New.Officer@Example.org", "role": "OFFICER"},
            )
        self.assertEqual(response.status_code, 201)
        invitation = Invitation.objects.get()
        self.assertEqual(invitation.email, "new.officer@example.org")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("/invite/", mail.outbox[0].body)
        self.assertTrue(AuditEvent.objects.filter(action="invitation.create").exists())

    def test_refusals(self) -> None:
        path_a = f"/organisations/{self.state_a.pk}/invitations"
        # Officer: may see the organisation but not invite -> 403.
        r = self.api("POST", path_a, self.bob, {"email": "x@example.org", "role": "OFFICER"})
        self.assertEqual(r.status_code, 403)
        # Coordinator of another state -> 403 (the organisation list is public to members).
        r = self.api("POST", path_a, self.charlie, {"email": "x@example.org", "role": "OFFICER"})
        self.assertEqual(r.status_code, 403)
        # A role that does not fit the kind of organisation.
        r = self.api("POST", path_a, self.alice, {"email": "x@example.org", "role": "CSO_MEMBER"})
        self.assertEqual(r.status_code, 403)
        # A coordinator cannot create a secretariat member.
        r = self.api(
            "POST",
            f"/organisations/{self.unoct.pk}/invitations",
            self.alice,
            {"email": "x@example.org", "role": "SECRETARIAT"},
        )
        self.assertEqual(r.status_code, 403)
        # Bad input: clear 422 naming the field.
        r = self.api("POST", path_a, self.alice, {"email": "not-an-email", "role": "OFFICER"})
        self.assertEqual(r.status_code, 422)
        self.assertIn("email", r.json()["detail"])
        r = self.api("POST", path_a, self.alice, {"email": "x@example.org", "role": "KING"})
        self.assertEqual(r.status_code, 422)
        r = self.api("POST", path_a, self.alice, "{not json")
        self.assertIn(r.status_code, (400, 422))
        self.assertIn("detail", r.json())
        self.assertFalse(Invitation.objects.exists())

    def test_secretariat_invites_anywhere(self) -> None:
        r = self.api(
            "POST",
            f"/organisations/{self.cso_org.pk}/invitations",
            self.sam,
            {"email": "cso2@example.org", "role": "CSO_MEMBER"},
        )
        self.assertEqual(r.status_code, 201)

    def test_revoke(self) -> None:
        r = self.api(
            "POST",
            f"/organisations/{self.state_a.pk}/invitations",
            self.alice,
            {"email": "x@example.org", "role": "OFFICER"},
        )
        inv_id = r.json()["id"]
        self.assertEqual(
            self.api("DELETE", f"/invitations/{inv_id}", self.charlie).status_code, 404
        )
        self.assertEqual(self.api("DELETE", f"/invitations/{inv_id}", self.bob).status_code, 403)
        self.assertEqual(self.api("DELETE", f"/invitations/{inv_id}", self.alice).status_code, 204)
        self.assertIsNotNone(Invitation.objects.get().revoked_at)


class MembershipApiTests(CtnetTestCase):
    def test_change_role(self) -> None:
        m = Membership.objects.get(user=self.bob)
        self.assertEqual(
            self.api(
                "PATCH", f"/memberships/{m.pk}", self.charlie, {"role": "NATIONAL_COORDINATOR"}
            ).status_code,
            404,
        )
        self.assertEqual(
            self.api(
                "PATCH", f"/memberships/{m.pk}", self.bob, {"role": "NATIONAL_COORDINATOR"}
            ).status_code,
            403,
        )
        self.assertEqual(
            self.api(
                "PATCH", f"/memberships/{m.pk}", self.alice, {"role": "OVERSIGHT"}
            ).status_code,
            403,
        )
        r = self.api("PATCH", f"/memberships/{m.pk}", self.alice, {"role": "NATIONAL_COORDINATOR"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["role"], "NATIONAL_COORDINATOR")
        event = AuditEvent.objects.get(action="membership.role")
        self.assertEqual(event.detail, {"from": "OFFICER", "to": "NATIONAL_COORDINATOR"})

    def test_cannot_change_own_role(self) -> None:
        m = Membership.objects.get(user=self.alice)
        self.assertEqual(
            self.api("PATCH", f"/memberships/{m.pk}", self.alice, {"role": "OFFICER"}).status_code,
            403,
        )

    def test_wrong_method(self) -> None:
        m = Membership.objects.get(user=self.bob)
        self.assertEqual(self.api("POST", f"/memberships/{m.pk}", self.alice, {}).status_code, 405)


class TokenApiTests(CtnetTestCase):
    def test_list_and_revoke_own_tokens_only(self) -> None:
        token = self.token_for(self.alice)
        body = self.api("GET", "/tokens", self.alice, token=token).json()
        self.assertEqual(body["count"], 1)
        token_id = body["items"][0]["id"]
        self.assertEqual(self.api("DELETE", f"/tokens/{token_id}", self.charlie).status_code, 404)
        self.assertEqual(
            self.api("DELETE", f"/tokens/{token_id}", self.alice, token=token).status_code, 204
        )
        self.assertEqual(self.api("GET", "/tokens", self.alice, token=token).status_code, 401)


class AuditApiTests(CtnetTestCase):
    def test_only_oversight_reads_the_log(self) -> None:
        self.api("GET", "/me", self.alice)
        for user in (self.alice, self.sam, self.charlie, self.cso):
            self.assertEqual(self.api("GET", "/audit", user).status_code, 403)
        r = self.api("GET", "/audit?action=token.", self.olga)
        self.assertEqual(r.status_code, 200)
        self.assertGreaterEqual(r.json()["count"], 2)
        self.assertTrue(all(e["action"].startswith("token.") for e in r.json()["items"]))

    def test_bad_filter(self) -> None:
        r = self.api("GET", "/audit?since=yesterday", self.olga)
        self.assertEqual(r.status_code, 422)
        self.assertIn("since", r.json()["detail"])

    def test_openapi_is_served(self) -> None:
        r = self.client.get("/api/v1/openapi.json")
        self.assertEqual(r.status_code, 200)
        self.assertIn("/api/v1/organisations", r.json()["paths"])
