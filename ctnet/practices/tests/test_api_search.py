"""The search endpoint: visibility by TLP, bad queries, filters and the pinned query count."""

from __future__ import annotations

from ctnet import ratelimits
from ctnet.practices.tests.helpers import PracticeTestCase


class SearchApiTests(PracticeTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        summary = "Suivi des combattants terroristes étrangers de retour et de leurs familles."
        cls.clear = cls.published(cls.alice, "Retour CLEAR", summary, tlp="CLEAR", reviewer=cls.sam)
        cls.green = cls.published(cls.alice, "Retour GREEN", summary, reviewer=cls.sam)
        cls.amber = cls.published(
            cls.alice, "Retour AMBER", summary, tlp="AMBER", recipients=["UNOCT"], reviewer=cls.sam
        )

    def ids(self, user, query="combattants étrangers de retour", **params):
        extra = "".join(f"&{k}={v}" for k, v in params.items())
        response = self.api("GET", f"/practices/search?q={query}{extra}", user)
        self.assertEqual(response.status_code, 200, response.content)
        return {row["id"] for row in response.json()["items"]}

    def test_visibility_by_tlp(self) -> None:
        self.assertEqual(self.ids(self.alice), {self.clear.pk, self.green.pk, self.amber.pk})
        self.assertEqual(self.ids(self.sam), {self.clear.pk, self.green.pk, self.amber.pk})
        self.assertEqual(self.ids(self.charlie), {self.clear.pk, self.green.pk})
        self.assertEqual(self.ids(self.cso), {self.clear.pk})
        self.assertEqual(self.ids(self.pat), {self.clear.pk})

    def test_amber_results_are_audited_as_reads(self) -> None:
        from ctnet.core.models import AuditEvent

        self.ids(self.sam)
        event = AuditEvent.objects.filter(action="read", actor=self.sam).last()
        self.assertIn(f"search results [{self.amber.pk}]", event.detail["why"])
        before = AuditEvent.objects.filter(action="read").count()
        self.ids(self.charlie)  # sees no AMBER result: nothing to record
        self.assertEqual(AuditEvent.objects.filter(action="read").count(), before)

    def test_reading_follows_the_same_rule(self) -> None:
        self.assertEqual(
            self.api("GET", f"/practices/{self.amber.pk}", self.charlie).status_code, 404
        )
        self.assertEqual(self.api("GET", f"/practices/{self.green.pk}", self.cso).status_code, 404)
        self.assertEqual(self.api("GET", f"/practices/{self.clear.pk}", self.cso).status_code, 200)
        listed = self.api("GET", "/practices/", self.charlie).json()["items"]
        self.assertEqual({p["id"] for p in listed}, {self.clear.pk, self.green.pk})

    def test_fast_visibility_equals_the_generic_rule(self) -> None:
        from ctnet.practices.access import visible_among, visible_practices

        draft = self.write(self.alice, "Brouillon", "Pas encore publié.")
        ids = [self.clear.pk, self.green.pk, self.amber.pk, draft.pk, 999999]
        for user in (self.alice, self.bob, self.charlie, self.cso, self.olga, self.sam, self.pat):
            generic = set(visible_practices(user).filter(pk__in=ids).values_list("pk", flat=True))
            fast = set(visible_among(user, ids).values_list("pk", flat=True))
            self.assertEqual(fast, generic, user.username)
        self.assertEqual(
            set(visible_among(self.alice, ids).values_list("pk", flat=True)),
            {self.clear.pk, self.green.pk, self.amber.pk, draft.pk},
        )

    def test_oversight_is_refused(self) -> None:
        response = self.api("GET", "/practices/search?q=retour", self.olga)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.api("GET", "/practices/", self.olga).status_code, 403)

    def test_searches_are_limited_per_person_as_the_deployment_sizes_it(self) -> None:
        self.assertEqual(ratelimits.PRACTICE_SEARCHES_PER_USER.burst(), 60)  # the default
        with self.settings(PRACTICE_SEARCHES_PER_MINUTE=2):
            for _ in range(2):
                ok = self.api("GET", "/practices/search?q=familles", self.alice)
                self.assertEqual(ok.status_code, 200)
            refused = self.api("GET", "/practices/search?q=familles", self.alice)
            self.assertEqual(refused.status_code, 429)
            self.assertIn("Too many searches", refused.json()["detail"])
            self.login(self.alice)
            page = self.client.get("/practices/?q=familles")
            self.assertContains(page, "Too many searches", status_code=429)
            # Another person is not held back by alice's searches.
            self.assertEqual(
                self.api("GET", "/practices/search?q=familles", self.charlie).status_code, 200
            )

    def test_result_shape(self) -> None:
        body = self.api("GET", "/practices/search?q=familles&limit=1", self.alice).json()
        self.assertEqual(set(body), {"items", "count"})
        rows = body["items"]
        self.assertEqual(len(rows), 1)
        self.assertEqual(body["count"], 3)  # every result the search ranks, not the page
        self.assertEqual(
            set(rows[0]), {"id", "title", "language", "origin", "themes", "score", "snippet"}
        )
        self.assertEqual(rows[0]["language"], "fr")
        self.assertIn("familles", rows[0]["snippet"])

    def test_pages_of_the_ranking(self) -> None:
        path = "/practices/search?q=combattants%20étrangers%20de%20retour"
        whole = self.api("GET", path, self.alice).json()
        self.assertEqual(whole["count"], 3)
        ranked = [row["id"] for row in whole["items"]]
        pages = [self.api("GET", f"{path}&limit=1&offset={n}", self.alice).json() for n in range(4)]
        self.assertEqual([row["id"] for page in pages for row in page["items"]], ranked)
        self.assertEqual(
            {page["count"] for page in pages}, {3}
        )  # beyond the end: empty, same count
        # Only the page shown is recorded as read: a page without the AMBER result records none.
        from ctnet.core.models import AuditEvent

        amber_offset = ranked.index(self.amber.pk)
        other = (amber_offset + 1) % 3
        before = AuditEvent.objects.filter(action="read", actor=self.sam).count()
        self.api("GET", f"{path}&limit=1&offset={other}", self.sam)
        self.assertEqual(AuditEvent.objects.filter(action="read", actor=self.sam).count(), before)

    def test_bad_queries_are_400_with_a_message(self) -> None:
        for query in ("", "%20%20", "x" * 301, "x" * 5000):
            response = self.api("GET", f"/practices/search?q={query}", self.alice)
            self.assertEqual(response.status_code, 400, query[:10])
            self.assertTrue(response.json()["detail"])
        response = self.api("GET", "/practices/search?q=retour&origin=XXX", self.alice)
        self.assertEqual(response.status_code, 400)
        self.assertIn("XXX", response.json()["detail"])
        for bad in ("theme=astrology", "region=MARS", "language=de"):
            response = self.api("GET", f"/practices/search?q=retour&{bad}", self.alice)
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn("Unknown filter value", response.json()["detail"])
        for bad in ("limit=0", "limit=201", "limit=abc", "offset=-1", "offset=1000001"):
            response = self.api("GET", f"/practices/search?q=retour&{bad}", self.alice)
            self.assertEqual(response.status_code, 422, bad)

    def test_filters(self) -> None:
        self.assertEqual(self.ids(self.alice, language="es"), set())
        self.assertEqual(
            self.ids(self.alice, origin="FRA", theme="prisons", language="fr"),
            {self.clear.pk, self.green.pk, self.amber.pk},
        )
        self.assertEqual(self.ids(self.alice, theme="cyber"), set())
        self.assertEqual(self.ids(self.alice, region="AFRICAN"), set())

    def test_query_count_is_pinned(self) -> None:
        token = self.token_for(self.bob)
        path = "/practices/search?q=combattants%20de%20retour&limit=10"
        self.api("GET", path, self.bob, token=token)  # warm the index and the model
        # token with its person and membership (one query), the search allowance (savepoint, bucket
        # read for update, write, release), full-text, index version, visible candidates, the
        # rows shown, and the audit row of the AMBER result shown (savepoints, head, insert,
        # head update)
        with self.assertNumQueries(16):
            response = self.api("GET", path, self.bob, token=token)
        self.assertEqual(len(response.json()["items"]), 3)
        # Three more AMBER and three more GREEN results: the same count (one audit row for the
        # page, the originators joined).
        summary = "Suivi des combattants terroristes étrangers de retour et de leurs familles."
        for i in range(3):
            self.published(
                self.alice,
                f"Retour A{i}",
                summary,
                tlp="AMBER",
                recipients=["UNOCT"],
                reviewer=self.sam,
            )
            self.published(self.alice, f"Retour G{i}", summary, reviewer=self.sam)
        self.api("GET", path, self.bob, token=token)  # the index version moved: warm it again
        with self.assertNumQueries(16):
            response = self.api("GET", path, self.bob, token=token)
        self.assertEqual(len(response.json()["items"]), 9)
