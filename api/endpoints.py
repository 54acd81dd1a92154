"""The read-only JSON API under /api/v1/: one province's figures for its reporting system.

django-ninja turns the typed signatures below into validation and the OpenAPI schema (/api/v1/openapi.json),
which the Vietnamese docs page (/api/v1/tai-lieu/) is rendered from. Every answer is scoped to the token's
province by api.selectors; lists are paginated by limit/offset in a stable order (by id).
"""

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Path, Query
from ninja.errors import AuthenticationError, HttpError, ValidationError

from api import selectors
from api.auth import ClientToken, RateLimited
from api.schemas import (
    CatalogueEntryOut,
    CatalogueLinkOut,
    CommuneFilter,
    CommuneOut,
    EntryFilters,
    EntryPage,
    IndicatorOut,
    ItemFilters,
    MatrixPage,
    MatrixParams,
    Page,
    PageParams,
    PeriodOut,
    PlanFilters,
    PlanOut,
    Problem,
    ReportFilters,
    ReportOut,
    ResultOut,
    TaskOut,
    TaskUpdateOut,
    UnitOut,
)
from common.downloads import file_download
from common.text import fold
from indicators.models import IndicatorResult
from plans.periods import PeriodSpec, parse_period_code
from reports.models import Report
from tasks.models import TaskUpdate

PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

api = NinjaAPI(
    title="API số liệu chuyển đổi số cấp xã",
    version="1",
    description="Số liệu các xã của tỉnh cho hệ thống thông tin báo cáo của tỉnh: chỉ đọc, chỉ mục đã duyệt.",
    auth=ClientToken(),
    docs_url=None,
    urls_namespace="api:v1",  # included under api.urls (app_name "api")
)

# What every route may answer besides 200 (every list), and an object route besides (404).
REFUSALS = {401: Problem, 422: Problem, 429: Problem}
NOT_FOUND = {**REFUSALS, 404: Problem}
COMMUNE_ID = {"description": "id của xã (trong /communes)."}
PLAN_ID = {"description": "id của kế hoạch (trong /plans)."}
ENTRY_ID = {"description": "id của chỉ tiêu chung (trong /catalogue)."}
REPORT_ID = {"description": "id của bản báo cáo (trong /reports)."}


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = "Thiếu mã truy cập, mã không đúng hoặc đã bị thu hồi (Authorization: Bearer <mã>)."
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy trong tỉnh của mã truy cập."}, status=404)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _problem_text(error: dict) -> str:
    field = ".".join(str(part) for part in error["loc"] if part not in ("query", "path"))
    context = error.get("ctx", {})
    reasons = {
        "less_than_equal": f"không được lớn hơn {context.get('le')}",
        "greater_than_equal": f"không được nhỏ hơn {context.get('ge')}",
        "int_parsing": "phải là số nguyên",
        "datetime_parsing": "phải là thời điểm ISO 8601, ví dụ 2026-01-05T00:00:00Z",
        "datetime_from_date_parsing": "phải là thời điểm ISO 8601, ví dụ 2026-01-05T00:00:00Z",
        "literal_error": f"chỉ nhận {context.get('expected')}",
    }
    return f"{field}: {reasons.get(error['type'], 'không hợp lệ')}"


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = "Tham số không hợp lệ: " + "; ".join(_problem_text(error) for error in exc.errors) + "."
    return api.create_response(request, {"detail": detail}, status=422)


def _page(request: HttpRequest, rows: QuerySet | list, params: PageParams) -> dict:
    """One page in id order and the total: two queries (plus each prefetch), whatever the page size; a list
    (already read, in its order) is only cut."""
    end = params.offset + params.limit
    total = len(rows) if isinstance(rows, list) else rows.count()
    following = None
    if end < total:
        query = request.GET.copy()
        query["offset"] = str(end)
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    ordered = rows if isinstance(rows, list) else rows.order_by("id")
    results = list(ordered[params.offset : end])
    return {
        "count": total,
        "limit": params.limit,
        "offset": params.offset,
        "next": following,
        "results": results,
    }


def _period(code: str | None) -> PeriodSpec | None:
    if code is None:
        return None
    try:
        return parse_period_code(code)
    except ValueError as error:
        raise HttpError(422, f"period: {error}") from error


def _since(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without an offset is read in the app's time zone (Asia/Ho_Chi_Minh)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _entry_filters(filters: EntryFilters) -> dict:
    return {
        "period": _period(filters.period),
        "commune_id": filters.commune,
        "updated_since": _since(filters.updated_since),
    }


def _province(request: HttpRequest) -> int:
    return request.auth.province_id


@api.get("/communes", response={200: Page[CommuneOut], **REFUSALS}, url_name="communes", summary="Các xã")
def communes(request, page: Query[PageParams]):
    """Các xã, phường, đặc khu của tỉnh, với mã đơn vị hành chính và loại."""
    return _page(request, selectors.communes(_province(request)), page)


@api.get(
    "/communes/{commune_id}", response={200: CommuneOut, **NOT_FOUND}, url_name="commune", summary="Một xã"
)
def commune(request, commune_id: Path[int, COMMUNE_ID]):
    """Một xã của tỉnh; xã của tỉnh khác: 404."""
    return selectors.commune_or_404(_province(request), commune_id)


@api.get(
    "/communes/{commune_id}/units",
    response={200: Page[UnitOut], **NOT_FOUND},
    url_name="units",
    summary="Đơn vị của một xã",
)
def units(request, commune_id: Path[int, COMMUNE_ID], page: Query[PageParams]):
    """Các phòng, ban, đơn vị của xã (cả đơn vị đã ngừng hoạt động, xem active)."""
    return _page(request, selectors.units(_province(request), commune_id), page)


@api.get("/plans", response={200: Page[PlanOut], **REFUSALS}, url_name="plans", summary="Kế hoạch")
def plans(request, page: Query[PageParams], filters: Query[PlanFilters]):
    """Kế hoạch đã ban hành hoặc đã kết thúc của các xã, với các nhóm (mục); lọc theo xã (commune) và
    trạng thái (status). Kế hoạch dự thảo không được trả."""
    return _page(
        request, selectors.plans(_province(request), commune_id=filters.commune, status=filters.status), page
    )


@api.get("/plans/{plan_id}", response={200: PlanOut, **NOT_FOUND}, url_name="plan", summary="Một kế hoạch")
def plan(request, plan_id: Path[int, PLAN_ID]):
    """Một kế hoạch đã ban hành của tỉnh, với các nhóm (mục)."""
    return selectors.plan_or_404(_province(request), plan_id)


@api.get(
    "/indicators", response={200: Page[IndicatorOut], **REFUSALS}, url_name="indicators", summary="Chỉ tiêu"
)
def indicators(request, page: Query[PageParams], filters: Query[ItemFilters]):
    """Chỉ tiêu của các kế hoạch đã ban hành, với mục tiêu từng năm: nguyên văn (raw_text) và dạng đã đọc
    (kind, comparator, value, min_value, max_value); lọc theo xã hoặc kế hoạch."""
    rows = selectors.indicators(_province(request), commune_id=filters.commune, plan_id=filters.plan)
    return _page(request, rows, page)


@api.get("/tasks", response={200: Page[TaskOut], **REFUSALS}, url_name="tasks", summary="Nhiệm vụ")
def tasks(request, page: Query[PageParams], filters: Query[ItemFilters]):
    """Nhiệm vụ của các kế hoạch đã ban hành, với thời hạn nguyên văn (deadline_text) và hạn tính ra
    (due_date); lọc theo xã hoặc kế hoạch."""
    return _page(
        request, selectors.tasks(_province(request), commune_id=filters.commune, plan_id=filters.plan), page
    )


@api.get("/periods", response={200: Page[PeriodOut], **REFUSALS}, url_name="periods", summary="Kỳ báo cáo")
def periods(request, page: Query[PageParams], filters: Query[CommuneFilter]):
    """Kỳ báo cáo của tỉnh (commune_id null) và của từng xã; với commune: các kỳ xã đó dùng."""
    return _page(request, selectors.periods(_province(request), commune_id=filters.commune), page)


@api.get(
    "/results",
    response={200: EntryPage[ResultOut], **REFUSALS},
    url_name="results",
    summary="Kết quả chỉ tiêu đã duyệt",
)
def results(request, page: Query[PageParams], filters: Query[EntryFilters]):
    """Kết quả chỉ tiêu đã được duyệt, theo kỳ (period, mã kỳ như 2026-Q1) và xã; updated_since (ISO 8601)
    chỉ trả các mục thay đổi từ thời điểm đó, để đồng bộ dần. Mục nháp, chờ duyệt, bị trả lại: không trả."""
    entries = _entry_filters(filters)
    province = _province(request)
    body = _page(request, selectors.approved_results(province, **entries), page)
    body["withdrawn"] = selectors.withdrawn_ids(IndicatorResult, "indicator", province, **entries)
    return body


@api.get(
    "/task-updates",
    response={200: EntryPage[TaskUpdateOut], **REFUSALS},
    url_name="task_updates",
    summary="Cập nhật tiến độ nhiệm vụ đã duyệt",
)
def task_updates(request, page: Query[PageParams], filters: Query[EntryFilters]):
    """Cập nhật tiến độ nhiệm vụ đã được duyệt; lọc như /results."""
    entries = _entry_filters(filters)
    province = _province(request)
    body = _page(request, selectors.approved_task_updates(province, **entries), page)
    body["withdrawn"] = selectors.withdrawn_ids(TaskUpdate, "task", province, **entries)
    return body


@api.get(
    "/reports", response={200: Page[ReportOut], **REFUSALS}, url_name="reports", summary="Báo cáo đã gửi"
)
def reports(request, page: Query[PageParams], filters: Query[ReportFilters]):
    """Các bản báo cáo xã đã gửi tỉnh, với đường dẫn tải tệp PDF và Excel đã lưu lúc gửi."""
    rows = selectors.sent_reports(
        _province(request), commune_id=filters.commune, period=_period(filters.period)
    )
    return _page(request, rows, page)


@api.get(
    "/reports/{report_id}", response={200: ReportOut, **NOT_FOUND}, url_name="report", summary="Một báo cáo"
)
def report(request, report_id: Path[int, REPORT_ID]):
    """Một bản báo cáo đã gửi; bản chưa gửi hoặc của tỉnh khác: 404."""
    return selectors.sent_report_or_404(_province(request), report_id)


def _filename(report: Report, extension: str) -> str:
    commune = "-".join(fold(report.plan.commune.name).split())
    return f"bao-cao-{commune}-{report.period.code}-v{report.version}.{extension}"


def _frozen_file(request, report_id: int, extension: str) -> HttpResponse:
    report = selectors.sent_report_or_404(_province(request), report_id)
    stored = report.pdf_file if extension == "pdf" else report.xlsx_file
    if not stored:
        raise Http404
    content_type = PDF_TYPE if extension == "pdf" else XLSX_TYPE
    return file_download(stored, filename=_filename(report, extension), content_type=content_type)


def _file_responses(content_type: str) -> dict:
    return {"responses": {200: {"description": "Tệp đã lưu lúc gửi.", "content": {content_type: {}}}}}


@api.get(
    "/reports/{report_id}/pdf",
    response=NOT_FOUND,
    url_name="report_pdf",
    summary="Tải PDF đã gửi",
    openapi_extra=_file_responses(PDF_TYPE),
)
def report_pdf(request, report_id: Path[int, REPORT_ID]):
    """Tệp PDF của bản báo cáo đúng như lúc gửi tỉnh."""
    return _frozen_file(request, report_id, "pdf")


@api.get(
    "/reports/{report_id}/xlsx",
    response=NOT_FOUND,
    url_name="report_xlsx",
    summary="Tải Excel đã gửi",
    openapi_extra=_file_responses(XLSX_TYPE),
)
def report_xlsx(request, report_id: Path[int, REPORT_ID]):
    """Tệp Excel của bản báo cáo đúng như lúc gửi tỉnh."""
    return _frozen_file(request, report_id, "xlsx")


@api.get(
    "/catalogue",
    response={200: Page[CatalogueEntryOut], **REFUSALS},
    url_name="catalogue",
    summary="Danh mục chỉ tiêu chung",
)
def catalogue(request, page: Query[PageParams]):
    """Các chỉ tiêu chung trong danh mục của tỉnh: mã, tên, trụ cột, cách đo, cách tổng hợp các xã, nguồn và
    mục tiêu của tỉnh nguyên văn (target_text) và dạng đã đọc (target_kind, target_comparator,
    target_value...)."""
    return _page(request, selectors.catalogue_entries(_province(request)), page)


@api.get(
    "/catalogue/{entry_id}/links",
    response={200: Page[CatalogueLinkOut], **NOT_FOUND},
    url_name="catalogue_links",
    summary="Chỉ tiêu của xã liên kết với một chỉ tiêu chung",
)
def catalogue_links(
    request, entry_id: Path[int, ENTRY_ID], page: Query[PageParams], filters: Query[CommuneFilter]
):
    """Chỉ tiêu của các xã (trong kế hoạch đã ban hành) đã được xác nhận là chỉ tiêu chung này; liên kết mới
    gợi ý hoặc đã từ chối không được trả. Lọc theo xã (commune)."""
    rows = selectors.confirmed_links(_province(request), entry_id, commune_id=filters.commune)
    return _page(request, rows, page)


@api.get(
    "/matrix",
    response={200: MatrixPage, **REFUSALS},
    url_name="matrix",
    summary="Bảng so sánh các xã theo chỉ tiêu chung",
)
def matrix(request, page: Query[PageParams], params: Query[MatrixParams]):
    """Bảng của tỉnh cho một kỳ (period, bắt buộc): mỗi xã một dòng (phân trang theo xã, xếp theo id), mỗi
    chỉ tiêu chung (entry, mặc định cả danh mục) một ô với giá trị đã duyệt và đánh giá; aggregates là dòng
    tổng hợp của tỉnh trên mọi xã, với số xã có số liệu (reporting). Chỉ liên kết đã xác nhận được tính."""
    code = _period(params.period).code
    try:
        table = selectors.matrix(_province(request), code, params.entry)
    except LookupError as error:
        raise HttpError(422, f"entry: danh mục của tỉnh không có mã {error}.") from error
    rows = sorted(table.rows, key=lambda row: row.commune.pk)
    if params.commune is not None:
        rows = [row for row in rows if row.commune.pk == params.commune]
    body = _page(request, rows, page)
    body["period"] = table.code
    body["entries"] = table.entries
    body["aggregates"] = [
        {"entry_id": entry.pk, "code": entry.code, "aggregation": entry.aggregation, **vars(total)}
        for entry, total in zip(table.entries, table.aggregates, strict=True)
    ]
    return body
