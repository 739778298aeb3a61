"""Demo monitoring data for ``ctnet demo``: 36 capacity-building projects of UNOCT.

The source's themes (youth empowerment, border management, aviation security, prisoner
deradicalisation, children of returning fighters, ...) across the five UN regional groups,
each with a results framework: an outcome and outputs with baselines, quarterly targets,
several periods of actuals disaggregated by sex and age, some approved, some returned, some
waiting for approval, some late. A UNOCT monitoring officer reports and the secretariat approves
(four eyes). Generated with a seeded RNG through the services (so audited), and idempotent:
skipped when the first project exists.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctnet.core.markings import TLP
from ctnet.core.models import Membership, Organisation, Role, User

from .models import Indicator, Measure, Period, Project, Result, ResultType
from .services import framework, projects, reporting

SEED = 2018
FIRST_ID = "XI-CTNET-UNOCT-PRJ-01"
OFFICER = "unoct.monitoring"

THEMES = [
    ("Youth empowerment against violent extremism", ["pillar-1", "prevention-violent-extremism"]),
    ("Border management and security", ["pillar-2", "border-security"]),
    ("Aviation security and advance passenger information", ["pillar-2", "aviation-security"]),
    ("Deradicalisation and rehabilitation in prisons", ["pillar-4", "prisons"]),
    (
        "Children of returning foreign terrorist fighters",
        ["pillar-4", "foreign-terrorist-fighters"],
    ),
    ("Countering the financing of terrorism", ["pillar-2", "terrorist-financing"]),
    ("Support to victims of terrorism", ["pillar-4", "victims"]),
    ("Cyber security of critical infrastructure", ["pillar-3", "cyber"]),
    ("CBRN prevention and response", ["pillar-3", "cbrn"]),
]
REGIONS = [
    ["KEN", "SOM", "NGA"],
    ["JOR", "IRQ", "LBN"],
    ["IDN", "PHL", "MYS"],
    ["COL", "PER"],
    ["BIH", "MKD", "ALB"],
    ["MLI", "NER", "BFA", "TCD"],
    ["TJK", "KGZ", "UZB", "KAZ"],
    ["TUN", "MAR"],
]
SEX_AGE = {"sex": ["female", "male"], "age": ["15-24", "25+"]}


def _officer() -> User:
    user = User.objects.filter(username=OFFICER).first()
    if user is None:
        user = User.objects.create_user(
            OFFICER, f"{OFFICER}@demo.ctnet.invalid", None, first_name="Sara", last_name="Nakamura"
        )
        user.set_unusable_password()
        user.save()
        unoct = Organisation.objects.get(code="UNOCT")
        Membership.objects.create(user=user, organisation=unoct, role=Role.ENTITY_FOCAL_POINT)
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    return user


def load_monitoring_demo() -> None:
    if Project.objects.filter(iati_identifier=FIRST_ID).exists():
        return
    head = User.objects.get(username="secretariat")
    officer = _officer()
    rng = random.Random(SEED)  # noqa: S311 — seeded demo data, not a secret
    known = set(
        Organisation.objects.filter(code__in={c for r in REGIONS for c in r}).values_list(
            "code", flat=True
        )
    )
    start = dt.date(2024, 1, 1)
    for n in range(36):
        theme, slugs = THEMES[n % len(THEMES)]
        countries = [c for c in REGIONS[n % len(REGIONS)] if c in known]
        project = projects.create_project(
            acting_user=head,
            iati_identifier=f"XI-CTNET-UNOCT-PRJ-{n + 1:02d}",
            title=f"{theme} ({', '.join(countries) or 'global'})",
            description=f"UNOCT capacity-building project {n + 1}: {theme.lower()}.",
            start_date=start,
            end_date=dt.date(2027, 12, 31),
            countries=countries,
            themes=slugs,
            tlp=TLP.GREEN if n % 3 else TLP.AMBER,
            partners=[
                {
                    "role": "1",
                    "name": rng.choice(
                        ["European Union", "Qatar", "Saudi Arabia", "Japan", "Canada"]
                    ),
                }
            ],
            budgets=[
                {
                    "period_start": dt.date(y, 1, 1),
                    "period_end": dt.date(y, 12, 31),
                    "value": rng.randrange(2, 40) * 50_000,
                }
                for y in (2024, 2025, 2026)
            ],
            disbursements=[
                {
                    "date": dt.date(2024, 3, 1),
                    "value": rng.randrange(1, 10) * 50_000,
                    "description": "First tranche",
                }
            ],
        )
        _framework(head, officer, project, rng)


QUARTERS = 6  # 2024-Q1 .. 2025-Q2: several periods of actuals, the last two sometimes late


def _target(title: str, q: int) -> int | None:
    """Quarterly targets: more people trained, a rising share, fewer days; none for a story."""
    return {
        "People trained": 40 + 10 * q,
        "Share of trained officials applying the procedures": min(90, 35 + 7 * q),
        "Days to process a case": max(15, 55 - 5 * q),
    }.get(title)


def _indicators(head: User, project: Project, rng: random.Random) -> list[Indicator]:
    outcome = framework.add_result(
        acting_user=head,
        project=project,
        type=ResultType.OUTCOME,
        title="Institutions apply what they learnt",
    )
    output = framework.add_result(
        acting_user=head,
        project=project,
        type=ResultType.OUTPUT,
        title="Officials and young people trained",
    )
    specs: list[tuple[Result, str, str, dict[str, Any]]] = [
        (output, "People trained", Measure.UNIT, {"baseline_value": 0, "dimensions": SEX_AGE}),
        (
            outcome,
            "Share of trained officials applying the procedures",
            Measure.PERCENTAGE,
            {"baseline_value": rng.randrange(5, 30)},
        ),
        (
            outcome,
            "Days to process a case",
            Measure.UNIT,
            {"baseline_value": 60, "ascending": False},
        ),
        (outcome, "Change observed by partners", Measure.QUALITATIVE, {}),
    ]
    return [
        framework.add_indicator(
            acting_user=head,
            result=result,
            title=title,
            measure=measure,
            baseline_year=2023 if measure != Measure.QUALITATIVE else None,
            countries=project.countries[:1] if measure == Measure.UNIT else [],
            **extra,
        )
        for result, title, measure, extra in specs
    ]


def _framework(head: User, officer: User, project: Project, rng: random.Random) -> None:
    indicators = _indicators(head, project, rng)
    today = timezone.localdate()
    for q in range(QUARTERS):
        p_start = dt.date(2024 + q // 4, 1 + 3 * (q % 4), 1)
        p_end = dt.date(2024 + (q + 1) // 4, 1 + 3 * ((q + 1) % 4), 1) - dt.timedelta(days=1)
        periods = [
            framework.add_period(
                acting_user=head,
                indicator=indicator,
                start=p_start,
                end=p_end,
                target_value=_target(indicator.title, q),
            )
            for indicator in indicators
        ]
        if p_end > today or (q >= QUARTERS - 2 and rng.random() < 0.4):
            continue  # not ended yet, or late: nothing reported
        for indicator, period in zip(indicators, periods, strict=True):
            _report(head, officer, indicator, period, rng, q)


def _values(indicator: Indicator, rng: random.Random, q: int) -> dict[str, Any]:
    if indicator.measure == Measure.QUALITATIVE:
        return {
            "narrative": rng.choice(
                [
                    "Partners report closer cooperation between agencies.",
                    "Trainees now lead sessions themselves.",
                ]
            )
        }
    if indicator.measure == Measure.PERCENTAGE:
        den = rng.randrange(20, 80)
        return {"numerator": rng.randrange(den // 4, den), "denominator": den}
    if indicator.dimensions:
        parts: list[dict[str, Any]] = [
            {"dims": {"sex": s, "age": a}, "value": rng.randrange(3, 25)}
            for s in SEX_AGE["sex"]
            for a in SEX_AGE["age"]
        ]
        return {"value": sum(int(p["value"]) for p in parts), "disaggregations": parts}
    return {"value": max(5, 60 - 6 * q + rng.randrange(-5, 8))}


def _report(
    head: User, officer: User, indicator: Indicator, period: Period, rng: random.Random, q: int
) -> None:
    try:
        update = reporting.create_update(
            acting_user=officer, period=period, **_values(indicator, rng, q)
        )
    except ValidationError:
        return
    reporting.submit_update(acting_user=officer, update=update)
    roll = rng.random()
    if roll < 0.1:
        reporting.return_update(
            acting_user=head, update=update, comment="Please attach the attendance sheets."
        )
    elif roll < 0.85 or q < QUARTERS - 2:
        reporting.approve_update(acting_user=head, update=update)
