"""What every coordination page shares: the role gates stacked under ``member_required``."""

from __future__ import annotations

from ctnet.coordination.policy import policy
from ctnet.core.decorators import require_role_check

PAGE_SIZE = 30
coordination_required = require_role_check(policy.can_use_coordination)
author_required = require_role_check(policy.can_author_plans)
