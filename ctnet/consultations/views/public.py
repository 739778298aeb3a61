"""Pages of the public link: the consultation for people without an account (no sign-in), its
submit target, and the unit's page that makes, replaces or revokes the link.

The public pages are never cached, send no ``Referer`` to other sites (the address holds the
token) and ask search engines not to index them. They set no session: the answer to a
submission is the page itself, with the receipt code shown once.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctnet.consultations import access, presenters
from ctnet.consultations.models import Audience, Consultation, QuestionKind, Status
from ctnet.consultations.services import WrongState, public_link
from ctnet.consultations.services.submitting import window_open
from ctnet.consultations.views.pages import answers_from
from ctnet.core.decorators import member_required
from ctnet.core.http import AuthenticatedHttpRequest
from ctnet.core.middleware import client_ip


def _private(response: HttpResponse) -> HttpResponse:
    # The address holds the token: the site's "same-origin" referrer policy already keeps it
    # from other sites (a stricter "no-referrer" would make browsers post "Origin: null", which
    # the CSRF check refuses). Search engines are asked not to list a link someone shared.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(
    request: HttpRequest, c: Consultation, token: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    published = c.status == Status.PUBLISHED
    lang = (get_language() or "en").lower()
    ctx = {
        "c": c,
        "token": token,
        "questions": list(c.questions.all()),
        "kinds": QuestionKind,
        "accepting": window_open(c),
        "answer_language": lang if lang in c.languages else c.languages[0],
        # What became of the inputs, once the response is published.
        "detail": {
            "themes": presenters.themes(c) if published else [],
            "results": presenters.results_tree(c) if published else [],
        },
        "error": error,
    }
    response = render(request, "consultations/public.html", ctx, status=status)
    return _private(response)


@never_cache
@require_GET
def public_consultation(request: HttpRequest, consultation_id: int, token: str) -> HttpResponse:
    c = access.access_public(consultation_id, token)
    return _page(request, c, token)


@never_cache
@require_POST
def public_submit(request: HttpRequest, consultation_id: int) -> HttpResponse:
    """The token comes in the form, not the address, so the submit target's address holds
    nothing secret. The client address goes to the service only to charge the rate limit."""
    c = access.public_candidate(consultation_id)
    token = request.POST.get("token", "")
    language = request.POST.get("language") or (get_language() or "en").lower()
    try:
        sent = public_link.submit_without_account(
            c, token, answers_from(request, c), language=language, client_ip=client_ip(request)
        )
    except public_link.RateLimited:
        message = _("Too many submissions from your connection. Try again later.")
        return _private(render(request, "ctnet/error.html", {"message": message}, status=429))
    except WrongState as exc:
        return _page(request, c, token, error=exc.message, status=409)
    except ValidationError as exc:
        return _page(request, c, token, error=" ".join(exc.messages), status=400)
    ctx = {"c": c, "receipt": sent.receipt}
    return _private(render(request, "consultations/public_sent.html", ctx))


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def consultation_public_link(
    request: AuthenticatedHttpRequest, consultation_id: int
) -> HttpResponse:
    """Make, replace or revoke the link. A new link is shown in the answer to the POST, once:
    never put in the session or a message, which would keep it."""
    c = access.access_managed(request.user, consultation_id)
    link, error, status = "", "", 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "make":
                made = public_link.make_public_link(acting_user=request.user, consultation=c)
                link = presenters.public_link_url(c, made.token)
            elif action == "revoke":
                public_link.revoke_public_link(acting_user=request.user, consultation=c)
            else:
                error, status = _("Make or revoke the link."), 400
        except WrongState as exc:
            error, status = exc.message, 409
        c.refresh_from_db()
    ctx = {"c": c, "link": link, "error": error, "public": c.audience == Audience.PUBLIC}
    return render(request, "consultations/public_link.html", ctx, status=status)
