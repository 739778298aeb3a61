"""The exchange API, mounted at ``/api/v1/exchange/``: one module per domain, one router.

Endpoints stay thin: fetch through ``access``, write through ``services``, shape through
``presenters`` (the pages call the same three). Operation ids are pinned on each endpoint to the
names they had before the API was cut by domain (issue 11), so generated clients keep working.
"""

from ninja import Router

from ctnet.exchange.api import attachments, bulletins, people, releases, requests

router = Router(tags=["exchange"])
for part in (requests, attachments, people, releases, bulletins):
    router.add_router("", part.router)
