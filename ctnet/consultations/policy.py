"""Who may open, see, take part in and answer consultations (issue 15).

Consultations are opened by the network secretariat (the civil-society unit) or by a Compact
entity's focal point, and managed by the opening organisation. Accredited civil-society
organisations in the audience take part. The oversight role reads no content here either.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from ctnet.consultations.models import Audience, Mode, Status
from ctnet.core.models import OrgKind, Role
from ctnet.core.policy import BasePolicy


class ConsultationPolicy(BasePolicy):
    OPENER_ROLES = frozenset({Role.SECRETARIAT, Role.ENTITY_FOCAL_POINT})
    # Compact entities: UN entities and the international organisations that sit in the Compact.
    OPENER_KINDS = frozenset({OrgKind.UN_ENTITY, OrgKind.INTERNATIONAL})

    def can_open_consultations(self, user: Any) -> bool:
        return self.has_role_in_kind(user, self.OPENER_ROLES, self.OPENER_KINDS)

    def can_manage(self, user: Any, consultation: Any) -> bool:
        """Configure, move the window, group inputs and answer them: the opening organisation."""
        membership = self.membership(user)
        return (
            membership is not None
            and membership.role in self.OPENER_ROLES
            and membership.organisation_id == consultation.originator_id
        )

    def can_manage_public_link(self, user: Any, consultation: Any) -> bool:
        """Make, replace or revoke the public link: the managers, of a public consultation."""
        return self.can_manage(user, consultation) and consultation.audience == Audience.PUBLIC

    def themes_q(self, user: Any) -> Q:
        """Among the consultations one sees, those whose themes and responses one reads (as the
        consultation's page shows them): the unit's always, everyone's once published."""
        q = Q(status=Status.PUBLISHED)
        membership = self.membership(user)
        if membership is not None and membership.role in self.OPENER_ROLES:
            q |= Q(originator_id=membership.organisation_id)
        return q

    def is_participant_role(self, user: Any) -> bool:
        return self.has_role(user, Role.CSO_MEMBER)

    def audience_q(self, user: Any) -> Q | None:
        """Consultations (past draft) whose audience includes the user's organisation."""
        membership = self.membership(user)
        if membership is None or membership.role != Role.CSO_MEMBER:
            return None
        org = membership.organisation
        q = Q(audience=Audience.ALL_CSOS) | Q(audience=Audience.NAMED, named_orgs=org.pk)
        if org.un_group:
            q |= Q(audience=Audience.REGION, region=org.un_group)
        return q & ~Q(status=Status.DRAFT)

    def visible(self, qs: QuerySet, user: Any) -> QuerySet:
        membership = self.membership(user)
        if membership is None or not self.can_read_content(user):
            return qs.none()
        q = None
        if self.can_open_consultations(user):
            q = Q(originator_id=membership.organisation_id)
        audience = self.audience_q(user)
        if audience is not None:
            q = audience if q is None else q | audience
        if q is None:
            return qs.none()
        return qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))

    def can_use(self, user: Any) -> bool:
        return self.can_open_consultations(user) or self.is_participant_role(user)

    def can_take_part(self, user: Any, consultation: Any) -> bool:
        """A civil-society member of the audience (the window is the service's 409)."""
        q = self.audience_q(user)
        return (
            q is not None
            and type(consultation)._default_manager.filter(q, pk=consultation.pk).exists()
        )

    def sees_breakdowns(self, consultation: Any, participants: int, k: int) -> bool:
        """Counts per answer: only once the window has closed, and over at least k people."""
        return (
            consultation.status != Status.OPEN
            and consultation.status != Status.DRAFT
            and (participants >= k)
        )

    def sees_inputs(self, user: Any, consultation: Any, participants: int, k: int) -> bool:
        """The inputs themselves: the unit always; the audience once breakdowns may be shown."""
        return self.can_manage(user, consultation) or (
            self.can_take_part(user, consultation)
            and self.sees_breakdowns(consultation, participants, k)
        )

    def can_report(self, user: Any, submission: Any) -> bool:
        """A reader of the inputs other than their known author."""
        c = submission.consultation
        return submission.author_id != getattr(user, "pk", None) and self.sees_inputs(
            user, c, c.participant_count(), settings.CONSULTATIONS_K
        )

    def sees_sender_organisation(self, user: Any, submission: Any) -> bool:
        """A pseudonymous sender's organisation is known to the unit only; identified to all."""
        if submission.mode == Mode.ANONYMOUS:
            return False
        if submission.mode == Mode.IDENTIFIED:
            return True
        return self.can_manage(user, submission.consultation)


policy = ConsultationPolicy()
