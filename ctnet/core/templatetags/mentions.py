"""``{% load mentions %}{% mentions "action_plan" plan.pk %}``: on the page of a thing, the
records of other capabilities that are about it (``core.capabilities.mentions``), those the
signed-in reader may see, grouped by the capability's word. Nothing when there are none."""

from __future__ import annotations

from typing import Any

from django import template

from ctnet.core.capabilities import mentions as mentions_of

register = template.Library()


@register.inclusion_tag("ctnet/mentions.html", takes_context=True)
def mentions(context: dict[str, Any], kind: str, target_id: int) -> dict[str, Any]:
    return {"items": mentions_of(context["request"].user, kind, int(target_id))}
