"""Monitoring API (``/api/v1/monitoring/``): projects, results framework, reporting, progress,
IATI, what projects answer. Thin: parse, fetch through ``access``, call one service, answer
with a presenter."""

from ninja import Router

from . import answers, iati, progress, projects, reporting

router = Router(tags=["monitoring"])
router.add_router("", projects.router)
router.add_router("", reporting.router)
router.add_router("", progress.router)
router.add_router("", iati.router)
router.add_router("", answers.router)
