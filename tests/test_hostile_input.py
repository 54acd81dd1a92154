"""Malformed submissions to the real views: never a 5xx, a Vietnamese reason where a form is shown, nothing
written.

Each case is one form posted by the person who may use it, with one field broken the way a typo, an old
bookmark or a hand-edited request breaks it. A form on its own page is re-rendered with the reason; the
forms that live in a panel of another page (a task's request, the review queue) send the reason back as a
message, which the followed redirect shows.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import Evidence
from imports.models import ImportBatch
from indicators.models import IndicatorResult
from indicators.services import indicator_result_save
from plans.models import Plan, SectionKind
from reports.models import Report
from reports.services import report_create
from tasks.models import Task, TaskContribution, TaskUpdate
from tasks.services import task_update_save
from tests import builders
from tests.data.seed_tables import workbook_bytes

HUGE = "Rất dài. " * 120_000  # about 1 MB, what made the report PDF take 17 s
XLSX = workbook_bytes(
    {
        "Nhiệm vụ": [
            ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"],
            ["I", "Hạ tầng số"],
            ["1", "Lắp wifi", "Trung tâm PVHCC", "2027"],
        ]
    }
)


@pytest.fixture
def stage(world, settings, tmp_path):
    """The world with what the forms act on: submitted entries in the review queue, a draft report, a task
    awaiting a request and a task the colleague's unit coordinates."""
    settings.MEDIA_ROOT = tmp_path
    queued_indicator = builders.indicator(
        world.indicator.section, name="Tỷ lệ hộ có cáp quang", lead="Trung tâm PVHCC"
    )
    queued_task = builders.task(world.task.section, description="Lắp camera", lead="Trung tâm PVHCC")
    result = indicator_result_save(
        indicator=queued_indicator, period=world.period, actor=world.clerk, value=85, submit=True
    )
    update = task_update_save(
        task=queued_task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=40,
        results="Đã lắp 4 camera",
        submit=True,
    )
    neighbours = builders.unit(world.other_commune, "Trung tâm PVHCC")
    foreign_task = builders.task(
        builders.section(world.other_plan, SectionKind.TASKS),
        lead=neighbours.name,
        description="Việc xã khác",
    )
    return SimpleNamespace(
        world=world,
        result=result,
        update=update,
        report=report_create(plan=world.plan, period=world.period, actor=world.reviewer),
        on_request=builders.task(world.task.section, lead="Trung tâm PVHCC", deadline="Khi có yêu cầu"),
        shared=builders.task(world.task.section, lead="Trung tâm PVHCC", coordinating_text="Phòng Kinh tế"),
        foreign_period=builders.period(world.other_commune, "2026-Q4"),
        foreign_task=foreign_task,
    )


def snapshot() -> dict:
    """Every row a refused form could have written, with every column."""
    return {
        "results": list(IndicatorResult.objects.order_by("pk").values()),
        "updates": list(TaskUpdate.objects.order_by("pk").values()),
        "contributions": list(TaskContribution.objects.order_by("pk").values()),
        "tasks": list(Task.objects.order_by("pk").values()),
        "reports": list(Report.objects.order_by("pk").values()),
        "plans": list(Plan.objects.order_by("pk").values()),
        "batches": ImportBatch.objects.count(),
        "evidence": Evidence.objects.count(),
    }


# Where each form posts: (person, URL name, URL arguments from the stage).
FORMS = {
    "result": ("clerk", "tracking:result_edit", lambda s: [s.world.indicator.pk, s.world.period.pk]),
    "update": ("clerk", "tracking:update_edit", lambda s: [s.world.task.pk, s.world.period.pk]),
    "contribution": ("colleague", "tracking:contribution_edit", lambda s: [s.shared.pk, s.world.period.pk]),
    "request": ("reviewer", "tracking:request_record", lambda s: [s.on_request.pk]),
    "review": ("reviewer", "tracking:review_action", lambda s: []),
    "report_edit": ("reviewer", "reports:edit", lambda s: [s.report.pk]),
    "report_create": ("reviewer", "reports:create", lambda s: [s.world.plan.pk]),
    "upload": ("reviewer", "imports:upload", lambda s: []),
    "rollover": ("reviewer", "imports:rollover", lambda s: [s.world.plan.pk]),
}
REQUEST = {"requested_on": "01/10/2026", "request_due_date": "15/11/2026"}
REPORT = {
    "number": "05/BC-UBND",
    "report_date": "15/12/2026",
    "place": "Nghĩa Đàn",
    "subject": "Kết quả thực hiện chuyển đổi số quý IV năm 2026",
    "overall_assessment": "Đã hoàn thành phần lớn nhiệm vụ.",
    "signer_authority": "TM. ỦY BAN NHÂN DÂN",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Nguyễn Văn An",
    "recipients": "Sở KH&CN tỉnh Nghệ An",
}
UPDATE = {
    "progress": "in_progress",
    "percent_complete": "60",
    "results": "Đã số hóa hồ sơ",
    "action": "draft",
    "version": "0",  # what the form of a never-saved update carries
}
DATE_RANGE = "Ngày phải trong khoảng 01/01/2000 – 31/12/2100."
TOO_LONG = "Nội dung quá dài"
PLAN_TIME = "Ngày nhận yêu cầu phải trong thời gian của kế hoạch"

CASES = [
    # -- an indicator result --------------------------------------------------------------------------
    ("result", {"value": "1e999"}, "Giá trị phải là một số"),
    ("result", {"value": "NaN"}, "Giá trị phải là một số"),
    ("result", {"value": "1.000.000.000.000.000"}, "Giá trị phải từ 0 đến 999.999.999.999,99."),
    ("result", {"value": "-5"}, "Giá trị phải từ 0 đến"),
    ("result", {"value": "81,555"}, "Chỉ ghi tối đa 2 chữ số sau dấu phẩy."),
    ("result", {"value": "150"}, "Tỷ lệ phải nằm trong khoảng 0–100%."),
    ("result", {"numerator": "99999999999999999999", "denominator": "1"}, "Giá trị phải từ 0 đến"),
    ("result", {"numerator": "-1", "denominator": "5"}, "Giá trị phải từ 0 đến"),
    ("result", {"numerator": "3,5", "denominator": "5"}, "Phải là số nguyên."),
    ("result", {"numerator": "5", "denominator": "0"}, "Mẫu số phải lớn hơn 0."),
    ("result", {"value": "85", "note": "x" * 2_001}, TOO_LONG),
    ("result", {"value": "85", "version": "1; DROP TABLE"}, "Phiên bản của mục không hợp lệ"),
    # -- a task update --------------------------------------------------------------------------------
    ("update", {**UPDATE, "percent_complete": "101"}, "Phần trăm hoàn thành phải từ 0 đến 100."),
    ("update", {**UPDATE, "percent_complete": "-1"}, "Phần trăm hoàn thành phải từ 0 đến 100."),
    ("update", {**UPDATE, "percent_complete": "sáu mươi"}, "Phần trăm hoàn thành phải là số nguyên"),
    ("update", {**UPDATE, "progress": "exploded"}, "Chọn một tình trạng trong danh sách."),
    ("update", {**UPDATE, "progress": "done"}, "Nhiệm vụ đã hoàn thành thì phần trăm phải là 100."),
    ("update", {**UPDATE, "results": "x" * 4_001}, "tối đa 4.000 ký tự, đã nhập 4.001 ký tự"),
    ("update", {**UPDATE, "difficulties": HUGE}, TOO_LONG),
    ("update", {**UPDATE, "proposals": "x" * 4_001}, TOO_LONG),
    ("update", {**UPDATE, "version": "-3"}, "Phiên bản của mục không hợp lệ"),
    # -- a coordinating unit's share ------------------------------------------------------------------
    ("contribution", {"text": ""}, "Vui lòng ghi nội dung phối hợp."),
    ("contribution", {"text": "\u200b\ufeff\u00ad\ufffe"}, "Vui lòng ghi nội dung phối hợp."),
    ("contribution", {"text": HUGE}, TOO_LONG),
    # -- a request recorded on a task (a panel of the task page: reasons come back as messages) ----------
    ("request", {**REQUEST, "requested_on": "01/01/0001"}, PLAN_TIME),
    ("request", {**REQUEST, "requested_on": "15/06/2025"}, PLAN_TIME),
    ("request", {**REQUEST, "request_due_date": "01/01/0001"}, DATE_RANGE),
    ("request", {**REQUEST, "request_due_date": "31/12/9999"}, DATE_RANGE),
    ("request", {**REQUEST, "requested_on": "32/13/2026"}, "Ngày phải có dạng dd/mm/yyyy"),
    ("request", {**REQUEST, "request_due_date": "01/09/2026"}, "Hạn hoàn thành phải sau ngày nhận yêu cầu."),
    # -- the review queue's action (reasons come back as messages) ---------------------------------------
    ("review", {"action": "delete", "items": ["result"]}, "Thao tác không hợp lệ"),
    ("review", {"action": "approve", "items": []}, "Chưa chọn mục nào."),
    (
        "review",
        {"action": "approve", "items": ["indicator:abc", "task:-1"]},
        "Có mục không còn trong hàng chờ",
    ),
    ("review", {"action": "approve", "items": ["indicator:999999999999"]}, "Có mục không còn trong hàng chờ"),
    ("review", {"action": "approve", "items": ["update", "foreign"]}, "Có mục không còn trong hàng chờ"),
    ("review", {"action": "return", "items": ["update"]}, "Vui lòng ghi ý kiến khi trả lại hoặc mở lại."),
    ("review", {"action": "return", "items": ["result"], "comment": "x" * 1_001}, TOO_LONG),
    # -- the report draft -----------------------------------------------------------------------------
    ("report_edit", {**REPORT, "report_date": "01/01/0001"}, DATE_RANGE),
    ("report_edit", {**REPORT, "report_date": "01/01/2101"}, DATE_RANGE),
    ("report_edit", {**REPORT, "report_date": "30/02/2026"}, "Ngày phải có dạng dd/mm/yyyy"),
    ("report_edit", {**REPORT, "overall_assessment": "x" * 20_001}, "tối đa 20.000 ký tự"),
    ("report_edit", {**REPORT, "next_tasks": HUGE}, TOO_LONG),
    ("report_edit", {**REPORT, "subject": ""}, "Vui lòng ghi trích yếu."),
    ("report_edit", {**REPORT, "subject": "x" * 501}, "tối đa 500 ký tự"),
    ("report_edit", {**REPORT, "recipients": "x" * 2_001}, "tối đa 2.000 ký tự"),
    ("report_edit", {**REPORT, "number": "x" * 51}, "Tối đa 50 ký tự (đã nhập 51)."),
    ("report_edit", {**REPORT, "signer_authority": "GIÁM ĐỐC"}, "Hãy chọn một lựa chọn hợp lệ."),
    ("report_create", {"period": "abc"}, "Kỳ báo cáo không thuộc kế hoạch này."),
    ("report_create", {"period": "foreign"}, "Kỳ báo cáo không thuộc kế hoạch này."),
    # -- the Excel import and the roll-over -----------------------------------------------------------
    ("upload", {"title": "x" * 256, "year": "2027"}, "Trích yếu tối đa 255 ký tự (đã nhập 256)."),
    ("upload", {"title": "Kế hoạch", "year": "0001"}, "Năm phải từ 2000 đến 2100."),
    ("upload", {"title": "Kế hoạch", "year": "hai nghìn"}, "Năm phải là một số, ví dụ 2026."),
    ("upload", {"title": "Kế hoạch", "year": "99999999999999999999"}, "Năm phải từ 2000 đến 2100."),
    ("upload", {"title": "\u200b \ufeff", "year": "2027"}, "Ghi trích yếu của kế hoạch mới"),
    ("rollover", {"year": "0"}, "Năm phải từ 2000 đến 2100."),
    ("rollover", {"year": "2026"}, "Năm của kế hoạch mới phải sau năm 2026."),
    ("rollover", {"year": "1e3"}, "Năm phải là một số, ví dụ 2026."),
]


def _resolve(stage, form: str, data: dict) -> dict:
    """Put the stage's ids where a case names a row: the queue's entries, another commune's row or period."""
    names = {
        "result": f"indicator:{stage.result.pk}@{stage.result.version}",
        "update": f"task:{stage.update.pk}@{stage.update.version}",
        "foreign": f"task:{(foreign := _foreign_update(stage)).pk}@{foreign.version}",
    }
    data = dict(data)
    if form == "review":
        data["items"] = [names.get(item, item) for item in data["items"]]
        data["ky"] = stage.world.period.pk
    if form == "report_create" and data["period"] == "foreign":
        data["period"] = stage.foreign_period.pk
    if form == "upload":
        data |= {"commune": stage.world.commune.pk, "file": SimpleUploadedFile("ke-hoach.xlsx", XLSX)}
    return data


def _foreign_update(stage) -> TaskUpdate:
    """A submitted update of another commune's task: never in this reviewer's queue."""
    return TaskUpdate.objects.get_or_create(
        task=stage.foreign_task,
        period=stage.foreign_period,
        defaults={"progress": "in_progress", "percent_complete": 10, "status": "submitted"},
    )[0]


@pytest.mark.parametrize(("form", "data", "message"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_a_malformed_submission_is_refused_in_vietnamese_and_writes_nothing(
    client, stage, form, data, message
):
    person, url_name, url_args = FORMS[form]
    data = _resolve(stage, form, data)
    before = snapshot()
    client.force_login(getattr(stage.world, person))
    response = client.post(reverse(url_name, args=url_args(stage)), data, follow=True)
    assert response.status_code < 500
    assert response.status_code in {200, 400}, (
        "a refusal re-renders the form or shows its page with the reason"
    )
    assert message in response.content.decode()
    assert snapshot() == before, "a refused submission wrote something"


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "abc", "section": "-1", "status": "<script>alert(1)</script>", "ky": "2026-Q9"},
        {"due_within": "99999999999999999999999", "pillar": "không-có", "verdict": "x", "task_state": "y"},
        {"q": "chuyển đổi số " * 500, "overdue": "maybe", "lead_only": "\ufffe"},
    ],
)
def test_junk_browser_filters_show_the_plan_with_a_reason_and_write_nothing(client, stage, query):
    before = snapshot()
    client.force_login(stage.world.clerk)
    response = client.get(reverse("tracking:plan_detail", args=[stage.world.plan.pk]), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bộ lọc không hợp lệ nên chưa được áp dụng" in page and "<script>alert" not in page
    assert snapshot() == before


@pytest.mark.parametrize("ky", ["abc", "1' OR 1=1", "١٢", "99999999999999999999999"])
def test_a_review_queue_with_a_junk_period_is_not_found_and_writes_nothing(client, stage, ky):
    before = snapshot()
    client.force_login(stage.world.reviewer)
    url = reverse("tracking:review_action")
    items = [f"indicator:{stage.result.pk}@{stage.result.version}"]
    assert client.post(url, {"ky": ky, "action": "approve", "items": items}).status_code == 404
    assert client.get(reverse("tracking:review"), {"ky": ky}).status_code == 404
    assert snapshot() == before


def test_the_limits_are_stated_on_the_forms(client, stage):
    client.force_login(stage.world.clerk)
    page = client.get(reverse("tracking:update_edit", args=[stage.world.task.pk, stage.world.period.pk]))
    assert "Tối đa 4.000 ký tự." in page.content.decode() and 'maxlength="4000"' in page.content.decode()
    client.force_login(stage.world.reviewer)
    page = client.get(reverse("reports:edit", args=[stage.report.pk])).content.decode()
    assert "Tối đa 20.000 ký tự." in page and "Mỗi dòng một nơi nhận. Tối đa 2.000 ký tự." in page


def test_a_request_within_the_plan_and_the_bounds_is_still_recorded(client, stage):
    client.force_login(stage.world.reviewer)
    client.post(reverse("tracking:request_record", args=[stage.on_request.pk]), REQUEST)
    stage.on_request.refresh_from_db()
    assert stage.on_request.request_due_date == dt.date(2026, 11, 15)
