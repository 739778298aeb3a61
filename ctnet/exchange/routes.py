"""The exchange's one API router, mounted at ``/api/v1/exchange/``."""

from ninja import Router

from ctnet.exchange import api, api_bulletins, api_people

router = Router(tags=["exchange"])
router.add_router("", api.router)
router.add_router("", api_people.router)
router.add_router("", api_bulletins.router)
