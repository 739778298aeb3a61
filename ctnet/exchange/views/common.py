"""What every exchange page shares: the role gates stacked under ``member_required``."""

from __future__ import annotations

from ctnet.core.decorators import require_role_check
from ctnet.exchange.policy import policy

PAGE_SIZE = 30
exchange_required = require_role_check(policy.can_use_exchange)
sender_required = require_role_check(policy.can_send_exchange)
reviewer_required = require_role_check(policy.can_review_people)
tracer_required = require_role_check(policy.can_trace_person)
