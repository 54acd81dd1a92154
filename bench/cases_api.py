"""The API on the scale data: a reporting system reading one period's approved results across the province.

The period measured is the one with the most approved results (a locked month or quarter). Three cases: the
first page of 500, the whole sync (every page, following `next`), as the province's system would do it, and
the province matrix of that period over the catalogue bench/cases_catalogue.py adds (all communes, one page).
The client token is issued inside a transaction that is rolled back, and the rate limit is lifted: these
cases time the endpoint, not the limiter (tests/test_api.py checks that).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse

from api.services import api_client_create
from bench.cases_catalogue import _catalogue
from indicators.models import IndicatorResult
from plans.periods import period_code
from units.models import Commune, Province, ProvinceAdministrator

PROVINCE_CODE = "QM"  # the scale data contract: province "Tỉnh Quy Mô", code QM
PAGE = 500


def _busiest_period(province: Province) -> str:
    top = (
        IndicatorResult.objects.approved()
        .filter(indicator__plan__commune__province=province)
        .values("period__kind", "period__year", "period__number")
        .annotate(rows=Count("id"))
        .order_by("-rows")
        .first()
    )
    if top is None:
        raise SystemExit("cases_api: the scale data has no approved result.")
    return period_code(top["period__kind"], top["period__year"], top["period__number"])


def run(bench) -> None:
    if not bench.wants_topic("api"):
        return
    province = Province.objects.filter(code=PROVINCE_CODE).first()
    if province is None:
        raise SystemExit("cases_api: run `manage.py seed_scale` first (no province «Quy Mô»).")
    communes = Commune.objects.filter(province=province).count()
    code = _busiest_period(province)
    with transaction.atomic(), override_settings(API_RATE_LIMIT_PER_MINUTE=10**9):
        entries = len(_catalogue(province))  # rolled back with the token, unless the catalogue case made it
        # The scale data has a province viewer, no administrator: the viewer issues the token for once.
        viewer = get_user_model().objects.get(username="so.quymo")
        ProvinceAdministrator.objects.get_or_create(user=viewer, province=province)
        token = api_client_create(province=province, name="Bench", actor=viewer)[1]
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        first = f"{reverse('api:v1:results')}?period={code}&limit={PAGE}"

        def first_page() -> dict:
            answer = client.get(first)
            if answer.status_code != 200:
                raise AssertionError(f"GET {first} answered {answer.status_code}")
            return answer.json()

        def whole_sync() -> int:
            rows, body = 0, first_page()
            while True:
                rows += len(body["results"])
                if body["next"] is None:
                    return rows
                body = client.get(body["next"]).json()

        total = first_page()["count"]
        bench.measure(
            f"api: /api/v1/results?period={code}, first page of {PAGE} ({communes} communes)",
            first_page,
            extra={"rows_total": total, "communes": communes},
        )
        pages = -(-total // PAGE)
        bench.measure(
            f"api: whole sync of {code}, {pages} pages of {PAGE} ({total} results)",
            whole_sync,
            repeat=3,
            warmup=1,
            memory=True,
            extra={"rows_total": total, "pages": pages},
        )
        matrix = f"{reverse('api:v1:matrix')}?period={code}&limit={PAGE}"

        def matrix_page() -> dict:
            answer = client.get(matrix)
            if answer.status_code != 200:
                raise AssertionError(f"GET {matrix} answered {answer.status_code}")
            return answer.json()

        reporting = sum(row["reporting"] for row in matrix_page()["aggregates"])
        bench.measure(
            f"api: /api/v1/matrix?period={code}, {communes} communes × {entries} entries",
            matrix_page,
            extra={"communes": communes, "entries": entries, "cells_reporting": reporting},
        )
        transaction.set_rollback(True)
