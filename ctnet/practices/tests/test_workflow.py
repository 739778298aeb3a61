"""The workflow through the API: every step, every refusal, versions, endorsements, comments."""

from __future__ import annotations

from ctnet.core.models import AuditEvent
from ctnet.practices.models import Endorsement, Practice, PracticeComment, PracticeVersion
from ctnet.practices.tests.helpers import PracticeTestCase


class WorkflowTests(PracticeTestCase):
    def step(self, user, practice, action, comment=""):
        return self.api(
            "POST",
            f"/practices/{practice.pk}/transitions",
            user,
            {"action": action, "comment": comment},
        )

    def test_full_path_with_review_comments_back_to_the_author(self) -> None:
        response = self.api("POST", "/practices/", self.alice, self.valid_payload())
        self.assertEqual(response.status_code, 201, response.content)
        practice = Practice.objects.get(pk=response.json()["id"])
        self.assertEqual(practice.status, "draft")
        self.assertEqual(practice.originator, self.state_a)
        self.assertEqual(
            self.step(self.bob, practice, "submit").json()["practice"]["status"], "submitted"
        )
        response = self.step(self.sam, practice, "review", "Ajoutez des chiffres.")
        self.assertEqual(response.json()["practice"]["status"], "reviewed")
        # The comments reach the author.
        detail = self.api("GET", f"/practices/{practice.pk}", self.alice).json()
        self.assertEqual(detail["review_comment"], "Ajoutez des chiffres.")
        edit = self.valid_payload(outcomes="Récidive en baisse de 30 % sur 120 détenus suivis.")
        self.assertEqual(
            self.api("PUT", f"/practices/{practice.pk}", self.alice, edit).status_code, 200
        )
        self.assertEqual(self.step(self.alice, practice, "submit").status_code, 200)
        self.assertEqual(
            self.step(self.sam, practice, "publish").json()["practice"]["status"], "published"
        )
        self.assertEqual(
            self.step(self.sam, practice, "archive").json()["practice"]["status"], "archived"
        )
        versions = self.api("GET", f"/practices/{practice.pk}/versions", self.alice).json()["items"]
        self.assertEqual([v["number"] for v in versions], [2, 1])
        self.assertIn("Récidive", versions[0]["content"]["outcomes"])
        actions = set(
            AuditEvent.objects.filter(object_id=str(practice.pk)).values_list("action", flat=True)
        )
        self.assertTrue(
            {"practice.create", "practice.review", "practice.publish", "practice.archive"}
            <= actions
        )

    def test_invalid_transitions_are_409_with_a_message(self) -> None:
        practice = self.write(self.alice, "Titre", "Résumé")
        response = self.step(self.sam, practice, "publish")  # not visible to sam as a draft
        self.assertEqual(response.status_code, 404)
        self.step(self.alice, practice, "submit")
        response = self.step(self.alice, practice, "submit")
        self.assertEqual(response.status_code, 409)
        self.assertIn("cannot", response.json()["detail"])
        self.step(self.sam, practice, "publish")
        response = self.api("PUT", f"/practices/{practice.pk}", self.alice, self.valid_payload())
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Practice.objects.get(pk=practice.pk).version, 1)
        response = self.step(self.sam, practice, "explode")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Unknown action", response.json()["detail"])

    def test_wrong_role_is_403(self) -> None:
        practice = self.write(self.alice, "Titre", "Résumé")
        self.step(self.alice, practice, "submit")
        # An officer of the author state may submit, not publish: that is the secretariat's.
        response = self.step(self.bob, practice, "publish")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Practice.objects.get(pk=practice.pk).status, "submitted")
        # The secretariat may not submit on the author's behalf.
        response = self.step(self.sam, practice, "withdraw")
        self.assertEqual(response.status_code, 403)
        # A review must carry comments back.
        response = self.step(self.sam, practice, "review", "")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(
            self.api("POST", "/practices/", self.cso, self.valid_payload()).status_code, 403
        )
        self.assertEqual(
            self.api("POST", "/practices/", self.olga, self.valid_payload()).status_code, 403
        )

    def test_outsider_cannot_see_or_touch_a_draft(self) -> None:
        practice = self.write(self.alice, "Titre", "Résumé")
        for method, path, body in (
            ("GET", f"/practices/{practice.pk}", None),
            ("GET", f"/practices/{practice.pk}/versions", None),
            ("GET", f"/practices/{practice.pk}/similar", None),
            ("POST", f"/practices/{practice.pk}/transitions", {"action": "submit"}),
            ("PUT", f"/practices/{practice.pk}", self.valid_payload()),
            ("POST", f"/practices/{practice.pk}/comments", {"body": "hello"}),
            ("POST", f"/practices/{practice.pk}/endorsements", {"note": "used"}),
            ("GET", "/practices/999999", None),
        ):
            response = self.api(method, path, self.charlie, body)
            self.assertEqual(response.status_code, 404, (method, path))
        self.assertEqual(PracticeComment.objects.count(), 0)

    def test_anonymous_and_wrong_method(self) -> None:
        practice = self.write(self.alice, "Titre", "Résumé")
        self.assertEqual(self.api("GET", f"/practices/{practice.pk}").status_code, 401)
        self.assertEqual(self.api("GET", "/practices/search?q=x").status_code, 401)
        self.assertEqual(
            self.api("POST", "/practices/", None, self.valid_payload()).status_code, 401
        )
        self.assertEqual(
            self.api("DELETE", f"/practices/{practice.pk}", self.alice).status_code, 405
        )
        self.assertEqual(self.api("POST", "/practices/search?q=x", self.alice).status_code, 405)

    def test_bad_input_writes_nothing(self) -> None:
        before = (Practice.objects.count(), AuditEvent.objects.count())
        cases = (
            (self.valid_payload(language="de"), 400, "Unknown language"),
            (self.valid_payload(themes=["astrology"]), 400, "astrology"),
            (self.valid_payload(themes=[]), 400, "theme"),
            (self.valid_payload(tlp="RED"), 400, "TLP"),
            (self.valid_payload(tlp="AMBER"), 400, "AMBER"),
            (self.valid_payload(tlp="AMBER", recipients=["NOPE"]), 400, "NOPE"),
            (self.valid_payload(period_start="2020-05-01", period_end="2019-01-01"), 400, "period"),
            (self.valid_payload(title="   "), 400, "title"),
            ({"title": "x"}, 422, "Invalid input"),
        )
        for body, status, words in cases:
            response = self.api("POST", "/practices/", self.alice, body)
            self.assertEqual(response.status_code, status, body)
            self.assertIn(words, response.json()["detail"], body)
        # The token created by self.api writes its own audit rows; count only practice rows.
        self.assertEqual(Practice.objects.count(), before[0])
        self.assertFalse(AuditEvent.objects.filter(action__startswith="practice.").exists())

    def test_endorsements_from_other_states_only(self) -> None:
        practice = self.published(self.alice, "Titre", "Résumé", reviewer=self.sam)
        path = f"/practices/{practice.pk}/endorsements"
        self.assertEqual(self.api("POST", path, self.alice, {"note": "ours"}).status_code, 403)
        self.assertEqual(self.api("POST", path, self.sam, {"note": "x"}).status_code, 403)
        response = self.api("POST", path, self.charlie, {"note": "   "})
        self.assertEqual(response.status_code, 400)
        response = self.api("POST", path, self.charlie, {"note": "Appliqué à Mombasa en 2023."})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["organisation"], "KEN")
        response = self.api("POST", path, self.charlie, {"note": "again"})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Endorsement.objects.count(), 1)
        listed = self.api("GET", path, self.bob).json()
        self.assertEqual(listed["count"], 1)
        self.assertEqual([e["note"] for e in listed["items"]], ["Appliqué à Mombasa en 2023."])

    def test_comments(self) -> None:
        practice = self.published(self.alice, "Titre", "Résumé", reviewer=self.sam)
        path = f"/practices/{practice.pk}/comments"
        self.assertEqual(self.api("POST", path, self.charlie, {"body": ""}).status_code, 400)
        self.assertEqual(self.api("POST", path, self.charlie, {"body": "Utile."}).status_code, 201)
        listed = self.api("GET", path, self.alice).json()
        self.assertEqual(([c["body"] for c in listed["items"]], listed["count"]), (["Utile."], 1))

    def test_similar_is_a_page(self) -> None:
        practice = self.published(self.alice, "Titre", "Résumé", reviewer=self.sam)
        self.published(self.alice, "Titre voisin", "Résumé voisin", reviewer=self.sam)
        body = self.api("GET", f"/practices/{practice.pk}/similar", self.bob).json()
        self.assertEqual(set(body), {"items", "count"})
        self.assertEqual(body["count"], len(body["items"]))
        self.assertLessEqual(body["count"], 5)
        path = f"/practices/{practice.pk}/similar?limit=201"
        self.assertEqual(self.api("GET", path, self.bob).status_code, 422)

    def test_each_edit_keeps_a_version(self) -> None:
        practice = self.write(self.alice, "Titre", "Résumé")
        for n in range(3):
            body = self.valid_payload(title=f"Titre {n}")
            self.assertEqual(
                self.api("PUT", f"/practices/{practice.pk}", self.bob, body).status_code, 200
            )
        self.assertEqual(PracticeVersion.objects.filter(practice=practice).count(), 4)
        self.assertEqual(Practice.objects.get(pk=practice.pk).version, 4)


class EmbeddingTaskTests(PracticeTestCase):
    def test_embedding_follows_the_text_and_skips_unchanged_text(self) -> None:
        from ctnet.practices.tasks import embed_practice

        practice = self.write(self.alice, "Titre", "Résumé")
        practice.refresh_from_db()
        first = bytes(practice.embedding)
        self.assertEqual(len(first), 512 * 4)
        self.assertFalse(embed_practice.call(practice.pk))  # already current
        with self.captureOnCommitCallbacks(execute=True):
            self.api("PUT", f"/practices/{practice.pk}", self.alice, self.valid_payload())
        practice.refresh_from_db()
        self.assertNotEqual(bytes(practice.embedding), first)
        self.assertFalse(embed_practice.call(999999))


class MarkedReviewTests(PracticeTestCase):
    """An AMBER practice shared without UNOCT reaches its reviewer (issue 13)."""

    def test_secretariat_reviews_and_publishes_amber_practice_not_shared_with_it(self) -> None:
        practice = self.write(
            self.alice, "Titre ambre", "Résumé ambre", tlp="AMBER", recipients=["KEN"]
        )
        # A draft stays with its author, even for the secretariat.
        self.assertEqual(self.api("GET", f"/practices/{practice.pk}", self.sam).status_code, 404)
        step = {"action": "submit", "comment": ""}
        self.api("POST", f"/practices/{practice.pk}/transitions", self.alice, step)
        self.assertEqual(self.api("GET", f"/practices/{practice.pk}", self.sam).status_code, 200)
        read = AuditEvent.objects.filter(
            action="read", object_id=str(practice.pk), actor=self.sam
        ).get()
        self.assertEqual(read.detail, {"why": "TLP:AMBER"})
        self.login(self.sam)
        self.assertContains(self.client.get("/practices/review/"), f"/practices/{practice.pk}/")
        step = {"action": "publish", "comment": ""}
        response = self.api("POST", f"/practices/{practice.pk}/transitions", self.sam, step)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["practice"]["status"], "published")
        # Published, the marking alone decides again: the recipients see it, not the reviewer,
        # not a third state.
        for user, status in ((self.charlie, 200), (self.sam, 404), (self.cso, 404)):
            response = self.api("GET", f"/practices/{practice.pk}", user)
            self.assertEqual(response.status_code, status, user)
