from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alerts.selectors import alerts_for


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """Everything the daily email would tell the user today; each person sees only their own."""
    return render(
        request, "alerts/alert_list.html", {"alerts": alerts_for(request.user, timezone.localdate())}
    )
