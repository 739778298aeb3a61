"""Scheduled jobs of monitoring. The daily reminder of reports due is in ``notices`` (it calls
no service), named on ``settings.SCHEDULE`` as ``ctnet.monitoring.notices.send_reports_due``."""

from __future__ import annotations

from .notices import send_reports_due

__all__ = ["send_reports_due"]
