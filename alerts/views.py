from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.selectors import alerts_for
from pagecache.cache import cached_body, version_of
from units.selectors import member_communes


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Everything the daily email would tell the user today; each person sees only their own."""
    communes = member_communes(request.user)
    body = cached_body(
        request,
        "alerts/alert_list.html",
        version_of(communes),
        lambda: {"alerts": alerts_for(request.user, timezone.localdate())},
    )
    return render(request, "page.html", {"title": _("Nhắc việc"), "body": body})
