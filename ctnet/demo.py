"""``ctnet demo``'s data: core's people first, then each capability's own demo.

This module sits above the apps so that core never imports a capability: the capabilities join
through ``CapabilityConfig.load_demo``, in ``INSTALLED_APPS`` order, so a capability's demo may
use what an earlier one loaded.
"""

from __future__ import annotations

from django.db import transaction

from ctnet.core.capabilities import capabilities
from ctnet.core.demo import DemoAccount, load_demo_people


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Load everything, idempotently and in one transaction: a failed demo load leaves nothing."""
    accounts = load_demo_people()
    for capability in capabilities():
        capability.load_demo()
    return accounts


def demo_notes() -> list[str]:
    """What each capability's demo wants printed beside the accounts."""
    return [line for capability in capabilities() for line in capability.demo_notes()]
