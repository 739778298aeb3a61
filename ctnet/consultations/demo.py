"""Demo consultations for ``ctnet demo``: one closed with its published response and trace, one
open, one open in at-risk mode; inputs in Arabic, French, English, Spanish, Russian and Chinese.
The demo civil-society member (``cso.member``) has not taken part yet, so they can. And one open to
the public through a link, whose address ``ctnet demo`` prints (``demo_notes``).

Fictional content throughout. Idempotent: the first three are added only while no consultation
exists, the public one while no public consultation does. The senders of the demo inputs are demo
members of the demo organisation without a password.

The public link's token is shown once, like any token: only its hash is in the database. For the
demo to print it at every start, the running demo (``CTNET_DEMO``) keeps it in a file of its data
folder, as it keeps its secret key; outside the demo nothing is written, and the unit makes a new
link on the consultation's "Public link" page.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ctnet.consultations.models import Audience, Consultation, Question
from ctnet.consultations.presenters import public_link_url
from ctnet.consultations.services import answering, configuring, public_link, submitting
from ctnet.core.capabilities import subject_kinds
from ctnet.core.models import Membership, Organisation, Role, User

SENDERS = [  # username, language, answer to the free-text question
    ("cso.demo.ar", "ar", "يجب إشراك الشباب والنساء في تصميم برامج الوقاية من التطرف العنيف."),
    ("cso.demo.fr", "fr", "Associer les jeunes et les femmes à la conception des programmes."),
    ("cso.demo.es", "es", "Los programas deben proteger el espacio de la sociedad civil."),
    ("cso.demo.ru", "ru", "Нужно защищать гражданское общество от закрытия организаций."),
    ("cso.demo.zh", "zh-hans", "青年和妇女应参与预防暴力极端主义方案的设计。"),
    ("cso.demo.en", "en", "Civil-society groups must not be closed under counter-terrorism laws."),
]


def _questions() -> list[dict]:
    return [
        {"kind": "text", "text": "What should change in the draft?", "required": True},
        {"kind": "single", "text": "Is the draft clear?", "choices": ["Yes", "No"]},
        {"kind": "statement", "text": "Young people should be consulted every year."},
        {"kind": "statement", "text": "Registration rules for associations should be eased."},
    ]


def _data(title: str, **over: object) -> dict:
    return {
        "title": title,
        "subject_kind": "action_plan",
        "subject": title,
        "audience": "all_csos",
        "languages": ["ar", "zh-hans", "en", "fr", "ru", "es"],
        "mode": "pseudonymous",
        **over,
    }


def _senders(org: Organisation) -> list[User]:
    people = []
    for username, lang, _ in SENDERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, f"{username}@demo.ctnet.invalid")
            user.set_unusable_password()
            user.preferred_language = lang
            user.save()
            Membership.objects.create(user=user, organisation=org, role=Role.CSO_MEMBER)
        people.append(user)
    return people


def _send_all(c: Consultation, people: list[User]) -> None:
    questions = list(Question.objects.filter(consultation=c))
    for i, (user, (_, lang, text)) in enumerate(zip(people, SENDERS, strict=False)):
        answers = {str(questions[0].pk): text, str(questions[1].pk): "Yes" if i % 2 else "No"}
        answers[str(questions[2].pk)] = "agree"
        answers[str(questions[3].pk)] = "agree" if i < 3 else "disagree"
        submitting.submit(acting_user=user, consultation=c, answers=answers, language=lang)


def _published(unit: User, people: list[User]) -> None:
    c = configuring.create_consultation(
        acting_user=unit,
        data=_data(
            "Regional action plan on preventing violent extremism 2027-2030 (demo)",
            subject_link="https://www.un.org/counterterrorism/",
            subject_ref=_subject_ref(unit, "action_plan", "Regional counter-terrorism"),
        ),
        questions=_questions(),
    )
    c = configuring.move_on(acting_user=unit, consultation=c, to="open")
    _send_all(c, people)
    c = configuring.move_on(acting_user=unit, consultation=c, to="closed")
    ids = [str(s.pk) for s in c.submissions.order_by("language")]
    youth = answering.create_theme(
        acting_user=unit,
        consultation=c,
        title="Young people and women in programme design",
        submission_ids=[
            str(s.pk) for s in c.submissions.filter(language__in=["ar", "fr", "zh-hans"])
        ],
    )
    civic = answering.create_theme(
        acting_user=unit,
        consultation=c,
        title="Protecting civic space",
        submission_ids=[i for i in ids if i not in {str(s.pk) for s in youth.submissions.all()}],
    )
    c = configuring.move_on(acting_user=unit, consultation=c, to="synthesis")
    answering.respond_to_theme(
        acting_user=unit,
        theme=youth,
        response="taken_up",
        reason="The plan now has a youth and women's advisory board for every programme.",
        change_link="https://www.un.org/counterterrorism/",
        change_label="Action plan, commitment 4",
    )
    answering.respond_to_theme(
        acting_user=unit,
        theme=civic,
        response="partly",
        reason="Safeguards on registration are added; the review of the laws is for each state.",
        change_link="https://www.un.org/counterterrorism/",
        change_label="Action plan, safeguard 2",
    )
    board = answering.add_result(
        acting_user=unit, consultation=c, title="Advisory boards", theme_ids=[youth.pk]
    )
    answering.add_result(
        acting_user=unit,
        consultation=c,
        title="Board set up",
        parent=board,
        weight=2,
        progress=100,
        status="done",
    )
    first = answering.add_result(
        acting_user=unit,
        consultation=c,
        title="First programme reviewed",
        parent=board,
        weight=1,
        progress=40,
        status="in_progress",
    )
    answering.add_milestone(
        acting_user=unit,
        result=first,
        title="Review meeting",
        on=timezone.localdate() + timedelta(days=30),
    )
    c = configuring.move_on(acting_user=unit, consultation=c, to="published")


PUBLIC_TITLE = "Survey of young people on safety in their neighbourhood (demo, public link)"


def _token_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-public-link"


def _kept_token(c: Consultation) -> str:
    path = _token_file()
    token = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    return token if public_link.token_matches(c, token) else ""


def _public(unit: User) -> None:
    """The public consultation, open, with a link whose token the running demo keeps."""
    c = Consultation.objects.filter(audience=Audience.PUBLIC).first()
    if c is None:
        c = configuring.create_consultation(
            acting_user=unit,
            data=_data(PUBLIC_TITLE, audience="public", mode="anonymous", subject_kind="policy"),
            questions=_questions(),
        )
        c = configuring.move_on(acting_user=unit, consultation=c, to="open")
    if not settings.DEMO or _kept_token(c):
        if not c.public_link_hash:
            public_link.make_public_link(acting_user=unit, consultation=c)
        return
    made = public_link.make_public_link(acting_user=unit, consultation=c)
    path = _token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(made.token, encoding="utf-8")
    path.chmod(0o600)


def demo_notes() -> list[str]:
    """What ``ctnet demo`` prints: the public consultation's link, when the demo keeps it."""
    c = Consultation.objects.filter(audience=Audience.PUBLIC).first()
    token = _kept_token(c) if c is not None else ""
    if c is None or not token:
        return []
    return [f"Public consultation, no account needed: {public_link_url(c, token)}"]


def load_consultations_demo() -> None:
    unit = User.objects.filter(username="secretariat", membership__is_active=True).first()
    org = Organisation.objects.filter(code="CSO-HRF").first()
    if unit is None or org is None:
        return
    if not Consultation.objects.exclude(audience=Audience.PUBLIC).exists():
        _three(unit, org)
    _public(unit)


def _subject_ref(unit: User, kind: str, words: str) -> int | None:
    """The demo plan or programme whose title starts with ``words``, through the registry that
    the consultation's form uses (what the unit may see); None where that demo is not loaded."""
    offered = subject_kinds().get(kind)
    found = [t for t in offered.candidates(unit) if t.label.startswith(words)] if offered else []
    return found[0].id if found else None


def _three(unit: User, org: Organisation) -> None:
    # Coordination's demo plans are loaded before this; monitoring's projects after, unless
    # asked here (idempotent): the at-risk consultation is on one of them.
    from ctnet.monitoring.demo import load_monitoring_demo

    load_monitoring_demo()
    people = _senders(org)
    _published(unit, people)
    open_one = configuring.create_consultation(
        acting_user=unit,
        data=_data("Guidelines on civic space and counter-terrorism laws (demo)", mode="anonymous"),
        questions=_questions(),
    )
    open_one = configuring.move_on(acting_user=unit, consultation=open_one, to="open")
    _send_all(open_one, people[:4])
    at_risk = configuring.create_consultation(
        acting_user=unit,
        data=_data(
            "Programme on the return and reintegration of women and children (demo)",
            subject_kind="programme",
            subject_ref=_subject_ref(unit, "programme", "Children of returning"),
            mode="anonymous",
            at_risk=True,
        ),
        questions=_questions(),
    )
    configuring.move_on(acting_user=unit, consultation=at_risk, to="open")


def load_answers_demo() -> int:
    """Link demo monitoring projects to the themes of the published demo consultation that
    they answer, through the service (audited), as UNOCT's head would; idempotent. Monitoring's
    demo is loaded first (idempotent too): consultations' demo runs before it."""
    from ctnet.consultations.models import Theme, ThemeProject
    from ctnet.consultations.services.answers import link_project
    from ctnet.monitoring.demo import load_monitoring_demo
    from ctnet.monitoring.models import Project

    if ThemeProject.objects.exists():
        return 0
    head = User.objects.filter(username="secretariat").first()
    themes = list(Theme.objects.filter(consultation__status="published").order_by("pk"))
    if head is None or not themes:
        return 0
    load_monitoring_demo()
    # Projects on preventing violent extremism and on youth answer the plan's themes best; the
    # demo takes the first projects in order, two per theme.
    projects = list(
        Project.objects.filter(iati_identifier__startswith="XI-CTNET-UNOCT-PRJ-").order_by(
            "iati_identifier"
        )[: 2 * len(themes)]
    )
    made = 0
    for i, project in enumerate(projects):
        link_project(acting_user=head, project_id=project.pk, theme_id=themes[i // 2].pk)
        made += 1
    return made
