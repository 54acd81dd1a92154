"""The JSON shapes the API answers with; their descriptions become the OpenAPI schema and the docs page.

Field names follow the models; decimals travel as strings (`"81.50"`) so no value is rounded on the way.
"""

import datetime as dt
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from django.urls import reverse
from ninja import Field, Schema

T = TypeVar("T")


class PageParams(Schema):
    limit: int = Field(100, ge=1, le=500, description="Số dòng mỗi trang (1-500, mặc định 100).")
    offset: int = Field(0, ge=0, description="Bỏ qua bao nhiêu dòng đầu (mặc định 0).")


_COMMUNE = "Chỉ các dòng của xã này (id trong /communes)."
_PERIOD = "Mã kỳ báo cáo: 2026-M03, 2026-Q1, 2026-H1 hoặc 2026."


class CommuneFilter(Schema):
    commune: int | None = Field(None, description=_COMMUNE)


class PlanFilters(CommuneFilter):
    status: Literal["issued", "closed"] | None = Field(None, description="issued hoặc closed.")


class ItemFilters(CommuneFilter):
    plan: int | None = Field(None, description="Chỉ các dòng của kế hoạch này (id trong /plans).")


class ReportFilters(CommuneFilter):
    period: str | None = Field(None, description=_PERIOD)


class EntryFilters(ReportFilters):
    updated_since: dt.datetime | None = Field(
        None, description="Chỉ các mục thay đổi từ thời điểm này (ISO 8601; không ghi múi giờ: giờ Việt Nam)."
    )


class Page(Schema, Generic[T]):
    count: int = Field(description="Tổng số dòng khớp bộ lọc (mọi trang).")
    limit: int
    offset: int
    next: str | None = Field(description="Địa chỉ trang sau; null ở trang cuối.")
    results: list[T] = Field(description="Các dòng của trang, xếp theo id tăng dần.")


class EntryPage(Page[T], Generic[T]):
    withdrawn: list[int] = Field(
        description="Chỉ khi có updated_since: id các mục đã thay đổi từ thời điểm đó và không còn được "
        "duyệt (bị mở lại): hãy xóa chúng khỏi bản sao của hệ thống nhận."
    )


class Problem(Schema):
    detail: str = Field(description="Lý do, bằng tiếng Việt.")


class CommuneOut(Schema):
    id: int
    name: str = Field(description="Tên xã/phường/đặc khu.")
    kind: str = Field(description="Loại: xa, phuong, dac_khu.")
    code: str = Field(description="Mã đơn vị hành chính (có thể trống).")


class UnitOut(Schema):
    id: int
    commune_id: int
    name: str
    short_name: str
    kind: str = Field(description="Loại đơn vị (office, police_military, mass_org, public_service, ...).")
    active: bool


class SectionOut(Schema):
    id: int
    kind: str = Field(description="indicators (chỉ tiêu) hoặc tasks (nhiệm vụ).")
    number: str = Field(description="Số thứ tự in (I, II...).")
    title: str
    pillar: str = Field(description="Trụ cột chuẩn để so sánh giữa các xã.")
    parent_id: int | None
    order: int


class PlanOut(Schema):
    id: int
    commune_id: int
    number: str = Field(description="Số, ký hiệu (45/KH-UBND).")
    issue_date: dt.date | None
    title: str
    kind: str = Field(description="annual, action, half_year.")
    status: str = Field(description="issued (đã ban hành) hoặc closed (đã kết thúc); dự thảo không được trả.")
    period_start: dt.date
    period_end: dt.date
    target_year: int
    updated_at: dt.datetime
    sections: list[SectionOut]


class TargetOut(Schema):
    year: int
    raw_text: str = Field(description="Mục tiêu như văn bản ghi (≥80%).")
    kind: str = Field(description="Dạng đã đọc: percent, number, range, boolean, text.")
    comparator: str = Field(
        description="So sánh: eq (=), gte (≥), gt (>), lte (≤), lt (<); trống nếu không có."
    )
    value: Decimal | None
    min_value: Decimal | None
    max_value: Decimal | None
    unit_of_measure: str
    qualifier: str = Field(description="Điều kiện kèm theo (đối với các thủ tục đủ điều kiện).")


class IndicatorOut(Schema):
    id: int
    plan_id: int
    commune_id: int = Field(alias="plan.commune_id")
    section_id: int
    number: str
    name: str
    lead_text: str = Field(description="Đơn vị chủ trì như văn bản ghi.")
    coordinating_text: str
    note: str
    order: int
    is_cumulative: bool
    baseline_year: int | None
    baseline_text: str
    baseline_value: Decimal | None
    targets: list[TargetOut]


class TaskOut(Schema):
    id: int
    plan_id: int
    commune_id: int = Field(alias="plan.commune_id")
    section_id: int
    number: str
    description: str
    lead_text: str
    coordinating_text: str
    monitoring_text: str
    deadline_text: str = Field(description="Thời hạn như văn bản ghi (Quý 1/2026, Thường xuyên...).")
    deadline_kind: str = Field(description="date, month, quarter, half_year, year, recurring, on_request...")
    due_date: dt.date | None = Field(description="Hạn tính ra: ngày cuối của tháng/quý/năm được ghi.")
    request_due_date: dt.date | None = Field(description="Hạn theo yêu cầu đã ghi nhận (Khi có yêu cầu).")
    note: str
    order: int


class PeriodOut(Schema):
    id: int
    code: str = Field(description="Mã kỳ: 2026-M03, 2025-Q4, 2026-H1, 2026.")
    kind: str
    year: int
    number: int
    start: dt.date
    end: dt.date
    due_date: dt.date
    commune_id: int | None = Field(description="null: kỳ áp dụng cho toàn tỉnh.")
    locked_at: dt.datetime | None


class ResultOut(Schema):
    id: int
    indicator_id: int
    plan_id: int = Field(alias="indicator.plan_id")
    commune_id: int = Field(alias="indicator.plan.commune_id")
    period_id: int
    period_code: str = Field(alias="period.code")
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    percent: Decimal | None = Field(description="Tỷ lệ tính từ tử số/mẫu số (4227/5219 → 81.0).")
    flag: bool | None = Field(description="Đạt/Chưa đạt với mục tiêu dạng có/không.")
    verdict: str = Field(description="achieved, exceeded, not_achieved, hoặc trống (người đánh giá).")
    note: str
    reviewed_at: dt.datetime | None = Field(description="Thời điểm duyệt.")
    updated_at: dt.datetime


class TaskUpdateOut(Schema):
    id: int
    task_id: int
    plan_id: int = Field(alias="task.plan_id")
    commune_id: int = Field(alias="task.plan.commune_id")
    period_id: int
    period_code: str = Field(alias="period.code")
    progress: str = Field(description="not_started, in_progress, done, behind.")
    percent_complete: int
    results: str
    difficulties: str
    proposals: str
    reviewed_at: dt.datetime | None
    updated_at: dt.datetime


class ReportOut(Schema):
    id: int
    plan_id: int
    commune_id: int = Field(alias="plan.commune_id")
    period_id: int
    period_code: str = Field(alias="period.code")
    version: int
    corrects_id: int | None = Field(description="Bản đính chính cho báo cáo này (id).")
    number: str = Field(description="Số như đã nhập (5/BC-UBND).")
    official_number: str = Field(description="Số như in trên văn bản (05/BC-UBND).")
    report_date: dt.date
    subject: str
    sent_at: dt.datetime
    pdf_url: str | None = Field(description="Tải tệp PDF đã gửi (cần mã truy cập); null nếu không có tệp.")
    xlsx_url: str | None = Field(description="Tải tệp Excel đã gửi (cần mã truy cập); null nếu không có tệp.")

    @staticmethod
    def resolve_pdf_url(report, context) -> str | None:
        return _file_url(context["request"], report, "pdf") if report.pdf_file else None

    @staticmethod
    def resolve_xlsx_url(report, context) -> str | None:
        return _file_url(context["request"], report, "xlsx") if report.xlsx_file else None


def _file_url(request, report, extension: str) -> str:
    return request.build_absolute_uri(reverse(f"api:v1:report_{extension}", kwargs={"report_id": report.pk}))


class CatalogueEntryOut(Schema):
    id: int
    code: str = Field(description="Mã chỉ tiêu chung trong danh mục của tỉnh.")
    name: str
    pillar: str = Field(description="Trụ cột chuẩn (như SectionOut.pillar).")
    measure: str = Field(
        description="Đo bằng: percent (tử số/mẫu số), count (số lượng), yes_no (đạt/chưa đạt)."
    )
    aggregation: str = Field(
        description="Cách tổng hợp các xã: rate (tổng tử số/tổng mẫu số), sum, share (tỷ lệ xã đạt), mean."
    )
    source: str = Field(description="Nguồn (văn bản, mục): KH 02-KH/BCĐTW, mục II.1.")
    target_text: str = Field(description="Mục tiêu của tỉnh như văn bản ghi (≥80%); trống nếu không có.")
    target_kind: str = Field(
        description="Dạng đã đọc: percent, number, range, boolean, text; trống nếu không có."
    )
    target_comparator: str = Field(description="eq, gte, gt, lte, lt; trống nếu không có.")
    target_value: Decimal | None
    target_min: Decimal | None
    target_max: Decimal | None
    target_unit: str
    order: int


class CatalogueLinkOut(Schema):
    id: int
    entry_id: int
    indicator_id: int = Field(description="Chỉ tiêu của xã (id trong /indicators).")
    plan_id: int = Field(alias="indicator.plan_id")
    commune_id: int = Field(alias="indicator.plan.commune_id")
    confirmed_at: dt.datetime | None = Field(description="Thời điểm xác nhận liên kết.")


class MatrixParams(CommuneFilter):
    period: str = Field(description=_PERIOD)
    entry: list[str] = Field(
        [], description="Mã chỉ tiêu chung (lặp lại được: entry=R&entry=S); không ghi: cả danh mục."
    )


class CellOut(Schema):
    entry_id: int
    indicator_id: int | None = Field(
        description="Chỉ tiêu của xã liên kết (đã xác nhận, kế hoạch đã ban hành); null: không có."
    )
    state: str = Field(
        description="Đánh giá: achieved, exceeded, not_achieved; no_data: chưa có kết quả đã duyệt cho kỳ."
    )
    value: Decimal | None = Field(
        description="Giá trị đã duyệt; với tử số/mẫu số: tỷ lệ tính ra (40/50 → 80.0)."
    )
    numerator: int | None
    denominator: int | None
    flag: bool | None = Field(description="Đạt/Chưa đạt với chỉ tiêu dạng có/không.")


class MatrixRowOut(Schema):
    commune_id: int = Field(alias="commune.pk")
    commune_name: str = Field(alias="commune.name")
    period_id: int | None = Field(
        description="Kỳ của xã mang mã này (của xã hoặc toàn tỉnh); null: không có."
    )
    cells: list[CellOut] = Field(description="Một ô cho mỗi chỉ tiêu chung, theo thứ tự của entries.")

    @staticmethod
    def resolve_period_id(row) -> int | None:
        return row.period.pk if row.period else None


class AggregateOut(Schema):
    entry_id: int
    code: str
    aggregation: str
    value: Decimal | None = Field(description="Số của tỉnh theo cách tổng hợp (tỷ lệ: phần trăm).")
    reporting: int = Field(description="Số xã có số liệu được tính vào value.")
    met: int = Field(description="Số xã đạt mục tiêu của mình.")
    judged: int = Field(description="Số xã có đánh giá.")
    numerator: int | None = Field(description="Với rate: tổng tử số.")
    denominator: int | None = Field(description="Với rate: tổng mẫu số.")
    verdict: str | None = Field(
        description="Đánh giá so với mục tiêu của tỉnh; null nếu không đánh giá được."
    )


class MatrixPage(Page[MatrixRowOut]):
    period: str = Field(description="Mã kỳ đã đọc (2026-Q4).")
    entries: list[CatalogueEntryOut] = Field(description="Các cột: chỉ tiêu chung, theo thứ tự danh mục.")
    aggregates: list[AggregateOut] = Field(
        description="Dòng tổng hợp của tỉnh, một mục cho mỗi cột, tính trên mọi xã (mọi trang)."
    )
