"""The consultations API, mounted at ``/api/v1/consultations/``.

Endpoints stay thin: fetch through ``access``, write through ``services``, shape through
``presenters`` (the pages call the same three). A sender's receipt is never an API credential:
coming back with a receipt is a page for people without an account. Routes with an id ask
``access`` first: to someone whose role has no part in consultations, the consultation does not
exist (404), exactly as a missing one.
"""

from ninja import Router

from ctnet.consultations.api import consultations, moderation, public_link, synthesis

router = Router(tags=["consultations"])
for part in (consultations, synthesis, moderation, public_link):
    router.add_router("", part.router)
