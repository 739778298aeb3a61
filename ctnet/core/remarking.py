"""Changing the marking of anything shared: one service for every marked object.

Practices, hash banks and watchlists (and any ``MarkedModel`` a new capability adds) change their
TLP level and handling codes the same way (DESIGN.md rule 1): anyone who may read the object may
raise its marking, only the originating organisation may lower it (``can_change_marking`` of the
base policy), and a reader who raises to AMBER is named among the recipients, so raising never
locks the raiser's own organisation out. Which TLP levels an object may carry is its
capability's rule, checked before this is called. Exchange keeps its own service: raising a
request to RED there names people, not organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ctnet.core import audit
from ctnet.core.markings import TLP, clean_handling
from ctnet.core.models import MarkedModel, User
from ctnet.core.policy import acting_org, policy

M = TypeVar("M", bound=MarkedModel)


def change_marking(
    *,
    acting_user: User,
    obj: M,
    tlp: str,
    handling: Sequence[str] | str | None,
    action: str,
    handling_note: str | None = None,
    on_change: Callable[[M], Sequence[str]] | None = None,
) -> M:
    """Set ``tlp`` and ``handling`` on ``obj`` with the audit row ``action`` (codes only).

    The H3 note is the originator's: a reader who raises keeps the note as it is, and so does an
    originator who sends none. ``on_change`` runs inside the transaction on the locked row (to
    touch a timestamp or a search index) and returns the extra fields it changed.
    """
    own = policy.can_edit_marked(acting_user, obj)
    note: Any = handling_note if own and handling_note is not None else obj.handling_note
    codes, note = clean_handling(handling, note)
    if not policy.can_change_marking(acting_user, obj, tlp, codes):
        raise PermissionDenied(_("Only the originating organisation may lower a marking."))
    org = acting_org(acting_user)
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        old = {"tlp": locked.tlp, "handling": locked.handling}
        locked.tlp, locked.handling, locked.handling_note = tlp, codes, note
        extra = list(on_change(locked)) if on_change is not None else []
        locked.save(update_fields=["tlp", "handling", "handling_note", *extra])
        if tlp in (TLP.AMBER, TLP.AMBER_STRICT) and org.pk != locked.originator_id:
            locked.recipient_orgs.add(org)
        audit.record(
            action,
            actor=acting_user,
            obj=locked,
            detail={"from": old, "to": {"tlp": locked.tlp, "handling": locked.handling}},
        )
    return locked
