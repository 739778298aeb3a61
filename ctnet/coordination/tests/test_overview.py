"""The per-resolution view and regional coverage: right rows, by marking, queries pinned."""

from __future__ import annotations

from ctnet.coordination.models import Status
from ctnet.coordination.overview import regional_coverage, resolution_view
from ctnet.coordination.services import plans, reporting
from ctnet.coordination.tests.helpers import commitment_data, plan_data
from ctnet.core.models import OrgKind, Role, UNGroup
from ctnet.testing.base import CtnetTestCase, make_org, make_person


def _record(user, **over):
    data = plan_data(**over)
    commitments = data.pop("commitments")
    for c in commitments:
        for m in c["milestones"]:
            m["responsible"] = []
    from datetime import date

    data["period_start"] = date.fromisoformat(data["period_start"])
    data["period_end"] = date.fromisoformat(data["period_end"])
    for c in commitments:
        for m in c["milestones"]:
            m["due_date"] = date.fromisoformat(m["due_date"])
    return plans.create_plan(acting_user=user, data=data, commitments=commitments)


class OverviewTests(CtnetTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.nga = make_org("NGA", un_group=UNGroup.AFRICAN)
        cls.ngozi = make_person("ngozi", cls.nga, Role.NATIONAL_COORDINATOR)
        cls.au = make_org("AU", OrgKind.REGIONAL)
        cls.aurelie = make_person("aurelie", cls.au, Role.ENTITY_FOCAL_POINT)
        cls.fra_plan = _record(cls.alice)
        cls.ken_plan = _record(
            cls.charlie,
            commitments=[
                commitment_data(references=[{"code": "UNSCR-2396", "paragraph": "13"}]),
                commitment_data(references=[{"code": "UNSCR-2178", "paragraph": "5"}]),
            ],
        )
        cls.nga_private = _record(cls.ngozi, visibility="private")
        cls.au_plan = _record(cls.aurelie)
        fra_c = cls.fra_plan.commitments.get()
        reporting.report_progress(
            acting_user=cls.alice, commitment=fra_c, status=Status.SUBSTANTIAL, progress=60
        )
        reporting.assess(acting_user=cls.charlie, commitment=fra_c, status=Status.LIMITED)

    def test_resolution_view_lists_who_commits_and_how_far(self) -> None:
        view = resolution_view(self.sam, "UNSCR-2396")
        owners = [(r.owner.code, r.paragraph, r.self_status, r.assessed_status) for r in view.rows]
        # The secretariat reads the private Nigerian plan; every 2396 commitment is listed.
        self.assertEqual(
            owners,
            [
                ("AU", "11", "not_started", ""),
                ("FRA", "11", "substantial", "limited"),
                ("KEN", "13", "not_started", ""),
                ("NGA", "11", "not_started", ""),
            ],
        )
        self.assertEqual(view.owners, 4)
        self.assertEqual(view.self_counts, {"not_started": 3, "substantial": 1})
        self.assertEqual(view.assessed_counts, {"limited": 1})
        only_13 = resolution_view(self.sam, "UNSCR-2396", "13")
        self.assertEqual([r.owner.code for r in only_13.rows], ["KEN"])

    def test_resolution_view_follows_markings(self) -> None:
        codes = {r.owner.code for r in resolution_view(self.charlie, "UNSCR-2396").rows}
        self.assertEqual(codes, {"AU", "FRA", "KEN"})  # not Nigeria's private plan
        self.assertEqual(resolution_view(self.olga, "UNSCR-2396").rows, [])
        self.assertEqual(resolution_view(self.cso, "UNSCR-2396").rows, [])

    def test_resolution_view_query_count_is_fixed(self) -> None:
        for _ in range(3):
            _record(self.charlie)
        self.sam.forget_membership()
        with self.assertNumQueries(6):  # membership, plan ids, rows, totals, two status counts
            view = resolution_view(self.sam, "UNSCR-2396")
        self.assertEqual((len(view.rows), view.total), (7, 7))
        page = resolution_view(self.sam, "UNSCR-2396", offset=5, limit=5)
        self.assertEqual((len(page.rows), page.total, page.owners), (2, 7, 4))

    def test_regional_coverage(self) -> None:
        rows = {r.code: r for r in regional_coverage(self.sam)}
        african = rows[UNGroup.AFRICAN]
        self.assertEqual((african.members, african.with_plan), (2, 2))
        self.assertEqual(african.commitments, 3)
        self.assertEqual(rows["REGIONAL"].with_plan, 1)
        weog = rows[UNGroup.WESTERN_EUROPEAN_OTHERS]
        self.assertEqual(
            (weog.self_counts, weog.assessed_counts), ({"substantial": 1}, {"limited": 1})
        )
        # Kenya does not read Nigeria's private plan: one African state with a plan for it.
        self.charlie.forget_membership()
        self.assertEqual(
            {r.code: r for r in regional_coverage(self.charlie)}[UNGroup.AFRICAN].with_plan, 1
        )

    def test_world_map_colours_each_state_by_what_the_reader_may_read(self) -> None:
        from ctnet.coordination.overview import state_map

        by_code = {f["code"]: f for f in state_map(self.sam)}
        self.assertEqual(
            (by_code["FRA"]["bucket"], by_code["FRA"]["advanced"], by_code["FRA"]["total"]),
            ("high", 1, 1),
        )
        self.assertEqual(by_code["NGA"]["bucket"], "low")
        self.assertTrue(by_code["NGA"]["path"].startswith("M"))
        # Kenya does not read Nigeria's private plan: Nigeria is "no plan" on Kenya's map.
        self.charlie.forget_membership()
        self.assertEqual({f["code"]: f for f in state_map(self.charlie)}["NGA"]["bucket"], "none")
        for _ in range(3):
            _record(self.ngozi)
        self.sam.forget_membership()
        with self.assertNumQueries(4):  # membership, plan ids, counts per owner, the states
            state_map(self.sam)
        self.login(self.sam)
        page = self.client.get("/coordination/coverage/")
        self.assertContains(page, 'data-state="FRA" data-bucket="high"')

    def test_regional_coverage_query_count_is_fixed(self) -> None:
        for _ in range(3):
            _record(self.ngozi)
        self.sam.forget_membership()
        with self.assertNumQueries(6):  # membership, members, plan ids, owners, two counts
            regional_coverage(self.sam)

    def test_api_and_pages(self) -> None:
        body = self.api("GET", "/coordination/references/unscr-2396", self.sam).json()
        self.assertEqual((body["owners"], body["count"]), (4, 4))
        paged = self.api("GET", "/coordination/references/UNSCR-2396?limit=1&offset=1", self.sam)
        self.assertEqual([r["owner"] for r in paged.json()["rows"]], ["FRA"])
        too_many = self.api("GET", "/coordination/references/UNSCR-2396?limit=999", self.sam)
        self.assertEqual(too_many.status_code, 422)
        self.assertEqual(
            self.api("GET", "/coordination/references/UNSCR-1", self.sam).status_code, 404
        )
        listed = self.api("GET", "/coordination/references", self.sam).json()
        self.assertEqual(listed["count"], 7)
        coverage = self.api("GET", "/coordination/coverage", self.sam).json()
        self.assertEqual(coverage["count"], 6)
        self.assertEqual(self.api("GET", "/coordination/coverage", self.olga).status_code, 403)
        self.login(self.sam)
        page = self.client.get("/coordination/resolutions/UNSCR-2396/")
        self.assertContains(page, "<svg", status_code=200)
        self.assertContains(page, self.nga.name)
        self.assertContains(self.client.get("/coordination/coverage/"), "<svg")
        self.assertEqual(self.client.get("/coordination/resolutions/NOPE/").status_code, 404)
