"""What the screening pages share: the role check on their face and the page size."""

from __future__ import annotations

from ctnet.core.decorators import require_role_check
from ctnet.screening.policy import policy

PAGE_SIZE = 30

screening_required = require_role_check(policy.can_screen)
