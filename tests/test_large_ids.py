"""Ids in pages are printed as ids, never as numbers: with Vietnamese grouping, 11210 would print `11.210`
and a link, a form value or an anchor made from it would break once a table passes a thousand rows."""

import pytest
from django.db import connection
from django.urls import reverse

from catalogue.models import IndicatorLink, LinkState
from catalogue.services import catalogue_entry_save
from indicators.models import Indicator
from plans.models import Plan, SectionKind
from tests import builders

BIG = 11210


def _past(model, pk: int) -> None:
    """Move the next id of `model`'s table past `pk`, on SQLite and PostgreSQL alike."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, pk])
        else:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [pk, table])


@pytest.fixture
def big_plan(world):
    _past(Plan, BIG)
    _past(Indicator, BIG)
    plan = builders.plan(world.commune, title="Kế hoạch số lớn")
    section = builders.section(plan, SectionKind.INDICATORS)
    indicator = builders.indicator(section, name="Tỷ lệ hồ sơ giải quyết trực tuyến", target="≥80%")
    return plan, indicator


def test_the_plan_page_links_carry_plain_ids(client, world, big_plan):
    plan, _indicator = big_plan
    assert plan.pk > 9999
    client.force_login(world.reviewer)
    page = client.get(reverse("tracking:plan_detail", args=[plan.pk])).content.decode()
    assert f"?plan={plan.pk}" in page and f"?xa={world.commune.pk}" in page
    assert f"{plan.pk:,}".replace(",", ".") not in page


def test_the_links_page_anchors_and_choices_carry_plain_ids(client, world, big_plan):
    plan, indicator = big_plan
    assert indicator.pk > 9999
    entry = catalogue_entry_save(
        province=world.commune.province,
        code="CS-01",
        name="Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến",
        pillar="chinh_quyen",
        measure="percent",
        aggregation="rate",
        target_text="≥80%",
    )
    IndicatorLink.objects.create(indicator=indicator, entry=entry, state=LinkState.SUGGESTED, score=90)
    client.force_login(world.reviewer)
    page = client.get(reverse("catalogue:links")).content.decode()
    assert f'id="chi-tieu-{indicator.pk}"' in page and f'id="entry-{indicator.pk}"' in page
