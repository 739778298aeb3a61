"""What pages and API show of consultations; each decides through the policy, never alone."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ctnet.consultations.models import (
    Audience,
    Consultation,
    Moderation,
    QuestionKind,
    Report,
    Result,
    Stance,
    Status,
    Submission,
)
from ctnet.consultations.policy import policy
from ctnet.consultations.services.configuring import unanswered_count
from ctnet.consultations.services.submitting import window_open
from ctnet.core.capabilities import subject_kinds


def consultation_row(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "status": c.status,
        "mode": c.mode,
        "at_risk": c.at_risk,
        "subject_kind": c.subject_kind,
        "originator": c.originator.code,
        "languages": c.languages,
        "opened_on": c.opened_on,
        "closes_at": c.closes_at,
    }


def moderation_counts(c: Consultation) -> dict[str, int]:
    """The public moderation figures of a consultation (two queries, whatever the size)."""
    counts = c.submissions.aggregate(
        hidden=Count("pk", filter=Q(hidden=True, moderation="")),
        reinstated=Count("pk", filter=Q(moderation=Moderation.REINSTATED)),
        removed=Count("pk", filter=Q(moderation=Moderation.REMOVED)),
        appeals=Count("pk", filter=~Q(appeal="")),
    )
    reports = Report.objects.filter(submission__consultation=c).count()
    return {"reports": reports, **{k: int(v or 0) for k, v in counts.items()}}


def public_inputs(user: Any, c: Consultation) -> list[dict[str, Any]] | None:
    """The inputs the audience reads once the window has closed (over k people); None before."""
    if not policy.sees_inputs(user, c, participants(c), settings.CONSULTATIONS_K):
        return None
    qs = c.submissions.filter(hidden=False).select_related("organisation", "consultation")
    rows = []
    for s in qs.prefetch_related("answers__question"):
        texts = [a.text for a in s.answers.all() if a.text]
        org_known = policy.sees_sender_organisation(user, s)
        rows.append(
            {
                "id": str(s.pk),
                "alias": s.alias,
                "organisation": s.organisation.code if org_known and s.organisation else None,
                "language": s.language,
                "texts": texts,
            }
        )
    return rows


def participants(c: Consultation) -> int:
    return c.participant_count()


def consultation_detail(user: Any, c: Consultation) -> dict[str, Any]:
    manages = policy.can_manage(user, c)
    count = participants(c)
    published = c.status == Status.PUBLISHED
    data = consultation_row(c) | {
        "description": c.description,
        "subject": c.subject,
        "subject_link": c.subject_link,
        "subject_target": subject_target(user, c),
        "audience": c.audience,
        "region": c.region,
        "questions": [
            {
                "id": q.pk,
                "position": q.position,
                "kind": q.kind,
                "text": q.text,
                "choices": q.choices,
                "required": q.required,
            }
            for q in c.questions.all()
        ],
        "accepting": window_open(c),
        "participants": count,
        "manages": manages,
        "taken_part": c.participations.filter(user=user).exists(),
        "breakdown": breakdown(c, count),
        "themes": themes(c) if manages or published else [],
        "results": results_tree(c) if manages or published else [],
        "unanswered": unanswered_count(c) if manages else None,
        "moderation": moderation_counts(c),
        "public_link": public_link_state(c) if manages else None,
    }
    return data


def subject_target(user: Any, c: Consultation) -> dict[str, Any] | None:
    """The plan, programme or guideline consulted on, where the platform holds it and this
    person may see it (its own capability's rule); None otherwise, and the subject's text
    stands alone."""
    offered = subject_kinds().get(c.subject_kind) if c.subject_ref is not None else None
    found = offered.find(user, c.subject_ref) if offered and c.subject_ref else None
    return None if found is None else {"id": found.id, "label": found.label, "url": found.url}


def public_link_state(c: Consultation) -> dict[str, Any] | None:
    """Whether the public link works and when it was made or revoked (never the token)."""
    if c.audience != Audience.PUBLIC:
        return None
    return {
        "active": bool(c.public_link_hash),
        "made_at": c.public_link_made_at,
        "revoked_at": c.public_link_revoked_at,
    }


def public_link_url(c: Consultation, token: str) -> str:
    """The whole public link, from the configured site address (not the request's Host)."""
    path = reverse("consultation-public", args=[c.pk, token])
    return settings.SITE_URL.rstrip("/") + path


def hidden_message() -> str:
    return _(
        "Results are shown once the consultation has closed and at least %(k)d people have "
        "taken part."
    ) % {"k": settings.CONSULTATIONS_K}


def breakdown(c: Consultation, count: int) -> list[dict[str, Any]] | None:
    """Counts per answer of choice and statement questions; None while they must stay hidden."""
    if not policy.sees_breakdowns(c, count, settings.CONSULTATIONS_K):
        return None
    rows = []
    for q in c.questions.all():
        answers = q.answers.filter(submission__hidden=False)
        if q.kind == QuestionKind.STATEMENT:
            tally = Counter(answers.values_list("stance", flat=True))
            counts = {s.name.lower(): tally.get(s.value, 0) for s in Stance}
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            tally = Counter(c for sel in answers.values_list("selected", flat=True) for c in sel)
            counts = {choice: tally.get(choice, 0) for choice in q.choices}
        else:
            counts = {"answers": answers.exclude(text="").count()}
        rows.append({"question": q.pk, "counts": counts})
    return rows


def theme_view(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "title": t.title,
        "response": t.response,
        "reason": t.reason,
        "change_link": t.change_link,
        "change_label": t.change_label,
        "responded_on": t.responded_on,
        "inputs": t.submissions.count(),
    }


def themes(c: Consultation) -> list[dict[str, Any]]:
    return [theme_view(t) for t in c.themes.all()]


def rolled_progress(result: Result, children: dict[int | None, list[Result]]) -> float:
    """A leaf's own progress; a parent's is the weighted mean of its children's (Decidim)."""
    kids = children.get(result.pk, [])
    if not kids:
        return result.progress
    total = sum(k.weight for k in kids)
    return sum(rolled_progress(k, children) * k.weight for k in kids) / total


def results_tree(c: Consultation) -> list[dict[str, Any]]:
    results = list(c.results.prefetch_related("milestones", "themes"))
    children: dict[int | None, list[Result]] = {}
    for r in results:
        children.setdefault(r.parent_id, []).append(r)

    def node(r: Result) -> dict[str, Any]:
        return {
            "id": r.pk,
            "title": r.title,
            "weight": r.weight,
            "status": r.status,
            "progress": round(rolled_progress(r, children), 1),
            "themes": [t.pk for t in r.themes.all()],
            "milestones": [
                {"title": m.title, "description": m.description, "on": m.on}
                for m in r.milestones.all()
            ],
            "children": [node(k) for k in children.get(r.pk, [])],
        }

    return [node(r) for r in children.get(None, [])]


def submission_view(user: Any, s: Submission, *, via_receipt: bool = False) -> dict[str, Any]:
    """One input and what became of it. Its theme's answer shows once the response is published
    (to the unit at once)."""
    c = s.consultation
    shows_answer = c.status == Status.PUBLISHED or (user is not None and policy.can_manage(user, c))
    theme = s.theme if shows_answer else None
    org_known = user is not None and policy.sees_sender_organisation(user, s)
    return {
        "id": str(s.id),
        "consultation": c.pk,
        "consultation_title": "" if via_receipt and c.at_risk else c.title,
        "mode": s.mode,
        "alias": s.alias,
        "organisation": s.organisation.code if org_known and s.organisation else None,
        "language": s.language,
        "submitted_on": s.submitted_on,
        "hidden": s.hidden,
        "moderation": s.moderation,
        "appealed": bool(s.appeal),
        "answers": [
            {
                "question": a.question_id,
                "text": a.text,
                "selected": a.selected,
                "stance": a.stance,
            }
            for a in sorted(s.answers.all(), key=lambda a: a.question_id)
        ],
        "theme": theme_view(theme) if theme is not None else None,
    }
