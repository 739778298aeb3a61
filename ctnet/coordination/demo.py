"""Demo action plans for ``ctnet demo``: eight national and two regional plans, commitments at
every status of the scale, self-reports beside independent assessments, milestones due and late.

Fictional content. Idempotent: nothing is added once a demo plan exists. The six demo
coordinators of core act for their states; two more states and two regional organisations get
a planning account without a password (they act only here, through the services).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import cycle

from django.db import transaction
from django.utils import timezone

from ctnet.coordination.models import (
    ActionPlan,
    AssistanceNeed,
    Commitment,
    CommitmentProject,
    FollowUp,
    ItemStatus,
    Status,
    WorkingGroup,
)
from ctnet.coordination.services import assistance, groups, plans, reporting
from ctnet.core.models import Membership, Organisation, Role, User

DEMO_MARK = "(demo)"
# Owner code -> (username, role): core's demo coordinators, then planning accounts.
OWNERS = {
    "FRA": ("coord.fra", Role.NATIONAL_COORDINATOR),
    "KEN": ("coord.ken", Role.NATIONAL_COORDINATOR),
    "JOR": ("coord.jor", Role.NATIONAL_COORDINATOR),
    "RUS": ("coord.rus", Role.NATIONAL_COORDINATOR),
    "CHN": ("coord.chn", Role.NATIONAL_COORDINATOR),
    "COL": ("coord.col", Role.NATIONAL_COORDINATOR),
    "IDN": ("plans.idn", Role.NATIONAL_COORDINATOR),
    "NGA": ("plans.nga", Role.NATIONAL_COORDINATOR),
    "AU": ("plans.au", Role.ENTITY_FOCAL_POINT),
    "OSCE": ("plans.osce", Role.ENTITY_FOCAL_POINT),
}

COMMITMENTS = [
    ("Advance passenger information on every international flight", "II", "UNSCR-2396", "11"),
    ("Passenger name records analysed by a passenger information unit", "II", "UNSCR-2396", "12"),
    ("A national watch list shared with border posts", "II", "UNSCR-2396", "13"),
    ("Prosecution, rehabilitation and reintegration strategy", "IV", "UNSCR-2396", "29"),
    ("Community engagement against recruitment", "I", "UNSCR-2178", "16"),
    ("Criminal offences for travel to join terrorist groups", "II", "UNSCR-2178", "6"),
]
SELF_CYCLE: list[str] = [Status.NOT_STARTED, Status.LIMITED, Status.SUBSTANTIAL, Status.COMPLETE]
ASSESSED_CYCLE: list[str] = [*SELF_CYCLE, Status.NO_EVIDENCE, ""]
EVIDENCE = "https://example.org/demo/evidence"


def _actor(code: str) -> User | None:
    username, role = OWNERS[code]
    user = User.objects.filter(username=username, membership__is_active=True).first()
    if user is not None:
        return user
    org = Organisation.objects.filter(code=code).first()
    if org is None:
        return None
    user = User.objects.create_user(username, f"{username}@demo.ctnet.invalid", password=None)
    Membership.objects.create(user=user, organisation=org, role=role, title="Planning (demo)")
    return user


def _kind(code: str) -> str:
    return "Regional" if OWNERS[code][1] == Role.ENTITY_FOCAL_POINT else "National"


def _period() -> tuple[date, date]:
    today = timezone.localdate()
    return date(today.year - 1, 1, 1), date(today.year + 2, 12, 31)


def _commitments(index: int, start: date) -> list[dict]:
    today = timezone.localdate()
    items = []
    for n, (title, pillar, code, paragraph) in enumerate(COMMITMENTS[: 3 + index % 4]):
        items.append(
            {
                "title": title,
                "pillar": pillar,
                "references": [{"code": code, "paragraph": paragraph}],
                "milestones": [
                    # One late, one due within the week, one later.
                    {
                        "title": "Legal basis adopted",
                        "due_date": max(start, today - timedelta(days=30 + n)),
                    },
                    {
                        "title": "First results reported",
                        "due_date": today + timedelta(days=3 + n % 3),
                    },
                    {
                        "title": "Nationwide",
                        "due_date": today + timedelta(days=300),
                        "responsible": ["UNODC"],
                    },
                ],
            }
        )
    return items


def _report(owner: User, assessor: User, c: Commitment, self_status: str, assessed: str) -> None:
    evidence = [EVIDENCE] if self_status == Status.COMPLETE else []
    reporting.report_progress(
        acting_user=owner,
        commitment=c,
        status=self_status,
        progress=SELF_CYCLE.index(self_status) * 30,
        note="Reported for the demo.",
        evidence_urls=evidence,
    )
    if assessed:
        reporting.assess(
            acting_user=assessor,
            commitment=c,
            status=assessed,
            note="Assessed for the demo.",
            evidence_urls=[EVIDENCE] if assessed == Status.COMPLETE else [],
        )


OFFERS = [
    ("interpol", "border-security", [], ["en", "fr", "es", "ar"], "Border watch-list training"),
    ("interpol", "foreign-terrorist-fighters", ["AFRICAN"], ["en", "fr"], "Returnee screening"),
    (
        "secretariat",
        "border-security",
        ["AFRICAN", "ASIA_PACIFIC"],
        ["en", "ar"],
        "Advance passenger information: the countering-terrorist-travel programme",
    ),
    ("secretariat", "prisons", [], ["en", "es", "fr"], "Managing violent extremist prisoners"),
]
NEEDS = [
    ("coord.ken", "border-security", "high", ["en"], "Passenger data unit for Nairobi airport"),
    ("coord.jor", "border-security", "medium", ["ar", "en"], "Watch-list checks at land borders"),
    ("coord.col", "prisons", "low", ["es"], "Disengagement programme in two prisons"),
]


def load_assistance_demo() -> int:
    """Offers, then needs (their matches proposed); Kenya accepts its best match."""
    if AssistanceNeed.objects.filter(title__endswith=DEMO_MARK).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(membership__is_active=True)}
    for username, topic, regions, languages, title in OFFERS:
        if username in users:
            data = {"topic": topic, "regions": regions, "languages": languages}
            assistance.record_offer(
                acting_user=users[username], data={**data, "title": f"{title} {DEMO_MARK}"}
            )
    made = 0
    for username, topic, urgency, languages, title in NEEDS:
        if username not in users:
            continue
        need = assistance.record_need(
            acting_user=users[username],
            data={
                "topic": topic,
                "urgency": urgency,
                "languages": languages,
                "title": f"{title} {DEMO_MARK}",
                "existing": "A small team, no system yet.",
            },
        )
        made += 1
        best = need.matches.order_by("-score", "id").first()
        if username == "coord.ken" and best is not None:
            assistance.accept_match(acting_user=users[username], match=best)
    return made


@transaction.atomic
def load_coordination_demo() -> int:
    if ActionPlan.objects.filter(title__endswith=DEMO_MARK).exists():
        return 0
    assessor = User.objects.filter(username="cso.member").first()
    if assessor is None:
        return 0
    start, end = _period()
    statuses = cycle(zip(cycle(SELF_CYCLE), cycle(ASSESSED_CYCLE)))
    made = 0
    for index, code in enumerate(OWNERS):
        owner = _actor(code)
        if owner is None:
            continue
        plan = plans.create_plan(
            acting_user=owner,
            data={
                "title": f"{_kind(code)} counter-terrorism action plan {DEMO_MARK}",
                "summary": "Borders, justice and prevention, with the support of Compact entities.",
                "focus": "pve" if index % 3 == 2 else "ct",
                "visibility": "network",
                "pillars": ["I", "II", "IV"],
                "period_start": start,
                "period_end": end,
            },
            commitments=_commitments(index, start),
        )
        for c in plan.commitments.all():
            self_status, assessed = next(statuses)
            _report(owner, assessor, c, self_status, assessed)
        made += 1
    load_assistance_demo()
    load_groups_demo()
    return made


# The Compact's working groups (their names are the Compact's own; members, chairs, the work and
# the meetings are fictional): (name, mandate, members, chairs, programme).
GROUPS = [
    (
        "Border Management and Law Enforcement relating to Counter-Terrorism",
        "Coherent support to states on border security, API/PNR and watch lists (resolution 2396).",
        ["UNOCT", "UNODC", "INTERPOL", "IOM", "ICAO", "WCO", "CTED"],
        ["UNODC", "INTERPOL"],
        [
            ("Compendium of good practice on biometrics", "INTERPOL"),
            ("Passenger information units: a training package", "UNOCT"),
            ("Guidance on maritime border security", "IOM"),
        ],
    ),
    (
        "Criminal Justice, Legal Responses and Countering the Financing of Terrorism",
        "Prosecution, rehabilitation and reintegration; the financing of terrorism.",
        ["UNODC", "CTED", "MT1267", "FATF", "WORLDBANK", "IMF"],
        ["UNODC", "CTED"],
        [
            ("Model legislative provisions on the financing of terrorism", "UNODC"),
            ("Battlefield evidence: a handbook for prosecutors", "CTED"),
        ],
    ),
    (
        "Gender Sensitive Approach to Preventing and Countering Terrorism",
        "Women's participation and gender analysis in every counter-terrorism programme.",
        ["UNWOMEN", "UNOCT", "CTED", "UNDP", "OHCHR"],
        ["UNWOMEN"],
        [
            ("Gender analysis checklist for project design", "UNWOMEN"),
            ("Training for women police officers in border posts", "UNOCT"),
        ],
    ),
    (
        "Preventing and Countering Violent Extremism Conducive to Terrorism",
        "National prevention plans, youth, education and the role of civil society.",
        ["UNDP", "UNESCO", "UNAOC", "UNICEF", "UNOCT"],
        ["UNDP", "UNESCO"],
        [
            ("Guide to national plans for preventing violent extremism", "UNDP"),
            ("Youth engagement toolkit", "UNESCO"),
            ("Children associated with terrorist groups: reintegration", "UNICEF"),
        ],
    ),
    (
        "Promoting and Protecting Human Rights and the Rule of Law while Countering Terrorism "
        "and Supporting Victims of Terrorism",
        "Human rights in counter-terrorism, and the rights and needs of victims.",
        ["OHCHR", "UNOCT", "UNODC", "CTED"],
        ["OHCHR"],
        [("Model law on the rights of victims of terrorism", "UNOCT")],
    ),
]
# Statuses given to the programme items in turn: some open past their date, some done.
ITEM_CYCLE = (ItemStatus.IN_PROGRESS, ItemStatus.PLANNED, ItemStatus.DONE, ItemStatus.PLANNED)


def load_groups_demo() -> int:
    """The working groups with a programme, two meetings each (decisions and follow-ups, one
    late), recorded by the secretariat; INTERPOL reports one of its follow-ups done."""
    secretariat = User.objects.filter(username="secretariat", membership__is_active=True).first()
    known = set(Organisation.objects.values_list("code", flat=True))
    if secretariat is None or WorkingGroup.objects.filter(name=GROUPS[0][0]).exists():
        return 0
    today = timezone.localdate()
    statuses = cycle(ITEM_CYCLE)
    made = 0
    for number, (name, mandate, members, chairs, programme) in enumerate(GROUPS):
        members = [m for m in members if m in known]
        chairs = [c for c in chairs if c in members]
        if not chairs:
            continue
        group = groups.create_group(
            acting_user=secretariat,
            data={"name": name, "mandate": mandate, "members": members, "chairs": chairs},
        )
        for k, (title, owner) in enumerate(programme):
            item = groups.add_work_item(
                acting_user=secretariat,
                group=group,
                data={
                    "title": title,
                    "owner": owner,
                    "due_date": today + timedelta(days=120 * k - 60 + 15 * number),
                },
            )
            status = next(statuses)
            if status != ItemStatus.PLANNED:
                groups.set_work_item_status(acting_user=secretariat, item=item, status=status)
        for held, agenda in ((today - timedelta(days=75), "Programme of work for the year"),
                             (today - timedelta(days=14), "Review of the follow-ups")):  # fmt: skip
            groups.record_meeting(
                acting_user=secretariat,
                group=group,
                data={
                    "held_on": held,
                    "agenda": f"1. {agenda}\n2. Requests of member states\n3. Other business",
                    "minutes": "The group agreed its priorities and assigned the actions below.",
                    "decisions": [
                        {
                            "text": f"Take forward: {programme[0][0]}.",
                            "follow_ups": [
                                {
                                    "title": "Circulate a first draft to the members",
                                    "responsible": programme[0][1],
                                    "due_date": held + timedelta(days=30),
                                },
                                {
                                    "title": "Consult the states that asked for support",
                                    "responsible": chairs[0],
                                    "due_date": held + timedelta(days=90),
                                },
                            ],
                        }
                    ],
                },
            )
        made += 1
    interpol = User.objects.filter(username="interpol", membership__is_active=True).first()
    done = FollowUp.objects.filter(responsible__code="INTERPOL").order_by("due_date").first()
    if interpol is not None and done is not None:
        groups.set_follow_up_status(acting_user=interpol, follow_up=done, status=ItemStatus.DONE)
    return made


# Demo projects that answer demo commitments (issue 16): the n-th project answers the n-th
# commitment of the demo plans, for this many pairs.
ANSWER_PAIRS = 8


def load_answers_demo() -> int:
    """Link demo monitoring projects to the demo plans' commitments they answer, through the
    service (audited), as UNOCT's head would; idempotent. Monitoring's demo is loaded first
    (idempotent too): coordination's demo runs before it in ``INSTALLED_APPS`` order."""
    from ctnet.coordination.services.answers import link_project
    from ctnet.monitoring.demo import load_monitoring_demo
    from ctnet.monitoring.models import Project

    if CommitmentProject.objects.exists():
        return 0
    head = User.objects.filter(username="secretariat").first()
    if head is None:
        return 0
    load_monitoring_demo()
    projects = Project.objects.filter(iati_identifier__startswith="XI-CTNET-UNOCT-PRJ-")
    commitments = Commitment.objects.filter(plan__title__endswith=DEMO_MARK).order_by("pk")
    pairs = list(zip(projects.order_by("iati_identifier"), commitments, strict=False))
    for project, commitment in pairs[:ANSWER_PAIRS]:
        link_project(acting_user=head, project_id=project.pk, commitment_id=commitment.pk)
    return min(len(pairs), ANSWER_PAIRS)
