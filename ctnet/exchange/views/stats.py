"""The exchange in numbers: how fast the organisation answers, and is answered, against the
deadlines. Counts only, for the organisation's own exchange members."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ctnet.core.charts import Row, Series, bar_chart
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.exchange.reports import BUCKETS, PERIOD_DAYS, response_times
from ctnet.exchange.views.common import exchange_required


@member_required
@exchange_required
@require_GET
def stats_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = response_times(request.user)
    series = [Series(key, label) for key, label in BUCKETS.items()]
    sides = (("received", _("Requests to your organisation")), ("sent", _("Requests it sent")))
    chart = bar_chart(
        _("Response times against the deadline"),
        series,
        [Row(label, tuple(float(found[side][s.key]) for s in series)) for side, label in sides],
        summary=_(
            "Two bars: the requests your organisation received and those it sent in the last "
            "%(days)d days, each split by how the answer came against its deadline."
        )
        % {"days": PERIOD_DAYS},
        rtl=get_language_bidi(),
    )
    return render(
        request, "exchange/stats.html", {"chart": chart, "days": PERIOD_DAYS, "found": found}
    )
