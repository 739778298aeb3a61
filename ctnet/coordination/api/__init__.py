"""The coordination API, mounted at ``/api/v1/coordination/``: one module per domain.

Endpoints stay thin: fetch through ``access``, write through ``services``, shape through
``presenters`` (the pages call the same three).
"""

from ninja import Router

from ctnet.coordination.api import assistance, groups, overview, plans

router = Router(tags=["coordination"])
for part in (plans, overview, assistance, groups):
    router.add_router("", part.router)
