"""The province finds what it was sent.

Each commune row links to every sent version, with a correction's reason beside; rows filter by sent, not
sent and no such period; a commune without the period counts nothing for it."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from plans.models import SectionKind
from reports.models import Report, ReportStatus
from tests import builders


def _sent(plan, period, version=1, corrects=None, reason=""):
    return Report.objects.create(
        plan=plan,
        period=period,
        version=version,
        corrects=corrects,
        correction_reason=reason,
        number=f"{version}/BC-UBND",
        status=ReportStatus.SENT,
        sent_at=timezone.now(),
        report_date=timezone.localdate(),
        subject="Báo cáo quý IV",
    )


def _communes(world):
    """Nghĩa Đàn sent twice (a correction); Xã Chưa Gửi has the period; Xã Không Kỳ has a plan, not the
    period."""
    first = _sent(world.plan, world.period)
    second = _sent(world.plan, world.period, 2, first, "Sửa số liệu chỉ tiêu 1")
    waiting = builders.commune("Chưa Gửi", world.commune.province.name)
    waiting.code = "17001"
    waiting.save(update_fields=["code"])
    builders.plan(waiting)
    builders.period(waiting, "2026-Q4")
    idle = builders.commune("Không Kỳ", world.commune.province.name)
    idle_plan = builders.plan(idle)
    builders.task(builders.section(idle_plan, SectionKind.TASKS), deadline="Tháng 1/2026")
    return first, second


def _page(client, world, **params):
    client.force_login(world.province_viewer)
    query = "&".join(f"{key}={value}" for key, value in {"ky": "2026-Q4", **params}.items())
    response = client.get(f"{reverse('dashboards:province')}?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_each_sent_version_is_a_link_with_the_correction_reason_beside(client, world):
    first, second = _communes(world)
    page = _page(client, world)
    assert f'href="{reverse("reports:detail", args=[first.pk])}"' in page
    assert f'href="{reverse("reports:detail", args=[second.pk])}"' in page
    assert "lý do đính chính: Sửa số liệu chỉ tiêu 1" in page
    assert client.get(reverse("reports:detail", args=[second.pk])).status_code == 200


def test_rows_filter_by_sending_state(client, world):
    _communes(world)
    sent = _page(client, world, gui="da-gui")
    assert "Nghĩa Đàn" in sent and "Chưa Gửi" not in sent and "Không Kỳ" not in sent
    waiting = _page(client, world, gui="chua-gui")
    assert "Chưa Gửi" in waiting and "xã Nghĩa Đàn" not in waiting and "Không Kỳ" not in waiting
    idle = _page(client, world, gui="khong-co-ky")
    assert "Không Kỳ" in idle and "Chưa Gửi" not in idle
    client.force_login(world.province_viewer)
    assert client.get(f"{reverse('dashboards:province')}?ky=2026-Q4&gui=x").status_code == 404


def test_a_commune_without_the_period_counts_nothing_and_is_not_marked_unsent(client, world):
    _communes(world)
    page = _page(client, world, gui="khong-co-ky")
    assert "Không có kỳ này" in page and "Chưa gửi</span>" not in page
    client.force_login(world.province_viewer)
    data = client.get(f"{reverse('dashboards:province_xlsx')}?ky=2026-Q4").content
    sheet = load_workbook(io.BytesIO(data)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    idle, waiting = rows["xã Không Kỳ"], rows["xã Chưa Gửi"]
    assert idle[4] == "Không có kỳ này" and idle[13] == 0  # its overdue task is not counted for the period
    assert waiting[4] == "Chưa" and waiting[2] == "17001"
    assert rows["xã Nghĩa Đàn"][4] == "Có" and rows["xã Nghĩa Đàn"][6] == 2


def test_the_rollup_shows_the_communes_official_code(client, world):
    _communes(world)
    assert '<td data-label="Mã">17001</td>' in _page(client, world)


def test_the_commune_dashboard_links_to_the_periods_report(client, world):
    _first, second = _communes(world)
    client.force_login(world.reviewer)
    page = client.get(f"{reverse('dashboards:commune', args=[world.commune.pk])}?ky=2026-Q4").content.decode()
    assert f'<a href="{reverse("reports:detail", args=[second.pk])}" id="period-report">' in page
