from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from indicators.models import Indicator, IndicatorResult
from indicators.services import indicator_result_save
from pagecache.cache import writes_nothing
from plans import entries
from tracking.entry_forms import IndicatorResultForm
from tracking.entry_views import ensure_editor, get_item_for_user, get_period_for_item, save_entry
from units.scope import can_edit_item, scope_for


def _target_for(indicator: Indicator, year: int):
    targets = list(indicator.targets.all())
    return next((t for t in targets if t.year == year), targets[-1] if targets else None)


@login_required
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator = get_item_for_user(
        request, Indicator.objects.with_related().prefetch_related("assignments"), indicator_id
    )
    results = list(
        indicator.results.select_related("period", "author", "reviewed_by")
        .prefetch_related("evidence")
        .order_by("-period__start")
    )
    history = (
        IndicatorResult.history.filter(indicator_id=indicator.pk)
        .select_related("history_user", "period")
        .order_by("-history_date")[:50]
    )
    return render(
        request,
        "tracking/indicator_detail.html",
        {
            "indicator": indicator,
            "results": results,
            "history": history,
            "can_edit": can_edit_item(scope_for(request.user), indicator),
            "can_review": scope_for(request.user).can_review(indicator.plan.commune),
        },
    )


@login_required
def result_edit(request: HttpRequest, indicator_id: int, period_id: int) -> HttpResponse:
    indicator = get_item_for_user(
        request, Indicator.objects.with_related().prefetch_related("assignments"), indicator_id
    )
    period = get_period_for_item(indicator, period_id)
    result = indicator.results.select_related("period", "reviewed_by").filter(period=period).first()
    target = _target_for(indicator, period.year)
    context = {
        "indicator": indicator,
        "period": period,
        "result": result,
        "target": target,
        "locked_reason": entries.locked_reason(result or IndicatorResult(indicator=indicator, period=period)),
        "can_edit": can_edit_item(scope_for(request.user), indicator),
    }
    if request.method != "POST":
        initial = {"version": entries.stored_version(result or IndicatorResult())}
        if result is not None:
            initial = {
                "value": str(result.value).replace(".", ",") if result.value is not None else "",
                "numerator": result.numerator,
                "denominator": result.denominator,
                "flag": {True: "1", False: "0"}.get(result.flag, ""),
                "note": result.note,
                "version": result.version,
            }
        form = IndicatorResultForm(initial=initial, target=target)
        return render(request, "tracking/result_form.html", {**context, "form": form})
    ensure_editor(request, indicator)
    form = IndicatorResultForm(request.POST, request.FILES, target=target)

    def save(data: dict, submit: bool) -> IndicatorResult:
        return indicator_result_save(
            indicator=indicator,
            period=period,
            actor=request.user,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            flag=data.get("flag"),
            note=data.get("note", ""),
            submit=submit,
            expected_version=data.get("version"),
        )

    return save_entry(
        request,
        form=form,
        save=save,
        template="tracking/result_form.html",
        context=context,
        stored=result,
        success_url=reverse("tracking:indicator_detail", args=[indicator.pk]),
    )


@login_required
@require_POST
@writes_nothing
def result_preview(request: HttpRequest, indicator_id: int, period_id: int) -> HttpResponse:
    """Says, before saving, whether what is typed meets the target (htmx swaps it next to the form)."""
    indicator = get_item_for_user(
        request, Indicator.objects.with_related().prefetch_related("assignments"), indicator_id
    )
    period = get_period_for_item(indicator, period_id)
    target = _target_for(indicator, period.year)
    form = IndicatorResultForm(request.POST, target=target)
    form.fields["version"].required = False  # a preview saves nothing, so it compares no version
    verdict = None
    if form.is_valid() and target is not None:
        probe = IndicatorResult(
            value=form.cleaned_data.get("value"),
            numerator=form.cleaned_data.get("numerator"),
            denominator=form.cleaned_data.get("denominator"),
            flag=form.cleaned_data.get("flag"),
        )
        verdict = target.evaluate(value=probe.effective_value, flag=probe.flag)
        percent = probe.percent
    else:
        percent = None
    return render(
        request,
        "tracking/partials/verdict.html",
        {"verdict": verdict, "percent": percent, "form": form, "target": target},
    )
