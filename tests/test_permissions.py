"""Who gets what from every page of the project.

`SPEC` is the rule book: one row per URL and method, one column per person of the shared world. The walk
below reads the URL patterns themselves, so a view added later is covered as soon as it is routed: the test
fails until its row (and, for a new URL keyword, its value in `url_kwargs`) is written here.
"""

import datetime as dt
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from api.models import ApiClient
from api.services import api_client_create
from catalogue.models import CatalogueEntry, CatalogueImport, IndicatorLink
from catalogue.services import catalogue_entry_save, catalogue_import_create
from evidence.models import Evidence
from evidence.services import evidence_attach
from imports.models import ImportBatch, PeopleBatch
from imports.people import people_batch_create
from imports.services import batch_create
from indicators.models import IndicatorResult
from indicators.services import indicator_result_save
from plans.models import PeriodLockEvent, Plan, ReportingPeriod, SectionKind
from plans.periods import parse_period_code
from plans.workflow import WorkflowStatus
from reports.models import Report
from reports.services import report_create, report_update
from tasks.models import Task, TaskContribution, TaskUpdate
from tasks.services import task_update_save
from tests import builders
from tests.data.seed_tables import workbook_bytes
from units.models import Commune, Membership, Role, Unit

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class Expect:
    statuses: frozenset[int]
    label: str
    changes: bool = False  # only the rightful writer's POST may change the data

    def __repr__(self) -> str:
        return self.label


OK = Expect(frozenset({200}), "OK")
GO = Expect(frozenset({302}), "GO")  # sent on to the person's own start page
SAVED = Expect(frozenset({302}), "SAVED", changes=True)
BOUNCED = Expect(frozenset({302}), "BOUNCED")  # sent back with a message; nothing changed
FORBIDDEN = Expect(frozenset({403}), "FORBIDDEN")
HIDDEN = Expect(frozenset({404}), "HIDDEN")  # another commune's row does not exist for them
REFUSED = Expect(frozenset({403, 404}), "REFUSED")
POST_ONLY = Expect(frozenset({405}), "POST_ONLY")
ONWARD = Expect(frozenset({302}), "ONWARD")  # on to the next step (import preview); plan data unchanged yet
CREATED = Expect(frozenset({200}), "CREATED", changes=True)  # written, and the answer shows what was made
SHOWN = Expect(frozenset({200}), "SHOWN", changes=True)  # created, and its secret shown on this answer only
INVALID = Expect(frozenset({400}), "INVALID")  # the form comes back with the reason; nothing changed

PEOPLE = ("clerk", "colleague", "reviewer", "leader", "outsider", "province_viewer", "province_admin")

# The clerk works in the unit leading world.indicator and world.task; the colleague's unit has no part in
# them; the reviewer and the leader read the whole commune; the outsider reviews another commune (another
# province); the province viewer reads every commune of the province and writes nothing; the province
# administrator runs the province (communes, units, people, calendar) and reads no commune's entries.
# fmt: off
SPEC = {
    #                                        clerk      colleague  reviewer   leader     outsider   province   prov.admin
    ("home", "GET"):                        (GO,        GO,        GO,        GO,        GO,        GO,        GO),
    ("tracking:my_work", "GET"):            (OK,        OK,        OK,        OK,        OK,        GO,        GO),
    ("tracking:plan_list", "GET"):          (OK,        OK,        OK,        OK,        OK,        OK,        OK),
    ("tracking:plan_detail", "GET"):        (OK,        OK,        OK,        OK,        HIDDEN,    OK,        HIDDEN),
    # Only the reviewer issues or closes a plan; world.plan is already issued, so issuing it is explained.
    ("tracking:plan_status", "GET"):        (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("tracking:plan_status", "POST"):       (FORBIDDEN, FORBIDDEN, BOUNCED,   FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN),
    ("tracking:review", "GET"):             (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN),
    ("tracking:review_action", "GET"):      (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("tracking:review_action", "POST"):     (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, FORBIDDEN),
    ("tracking:indicator_detail", "GET"):   (OK,        REFUSED,   OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("tracking:result_edit", "GET"):        (OK,        REFUSED,   OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("tracking:result_edit", "POST"):       (SAVED,     REFUSED,   REFUSED,   REFUSED,   HIDDEN,    REFUSED,   HIDDEN),
    ("tracking:result_preview", "GET"):     (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("tracking:result_preview", "POST"):    (OK,        REFUSED,   OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("tracking:task_detail", "GET"):        (OK,        REFUSED,   OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("tracking:update_edit", "GET"):        (OK,        REFUSED,   OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("tracking:update_edit", "POST"):       (SAVED,     REFUSED,   REFUSED,   REFUSED,   HIDDEN,    REFUSED,   HIDDEN),
    # Only a coordinating unit writes a contribution, and world.task names none.
    ("tracking:contribution_edit", "GET"):  (REFUSED,   REFUSED,   REFUSED,   REFUSED,   HIDDEN,    REFUSED,   HIDDEN),
    ("tracking:contribution_edit", "POST"): (REFUSED,   REFUSED,   REFUSED,   REFUSED,   HIDDEN,    REFUSED,   HIDDEN),
    ("tracking:request_record", "GET"):     (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    # The reviewer may record a request, but world.task has a dated deadline: explained, nothing saved.
    ("tracking:request_record", "POST"):    (REFUSED,   REFUSED,   BOUNCED,   REFUSED,   HIDDEN,    REFUSED,   HIDDEN),
    ("evidence:download", "GET"):           (OK,        REFUSED,   OK,        OK,        HIDDEN,    OK,        HIDDEN),
    # Only the lead unit's clerk removes a file, while the entry is not approved and its period open.
    ("evidence:remove", "GET"):             (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("evidence:remove", "POST"):            (SAVED,     REFUSED,   FORBIDDEN, FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN),
    # Dashboards: the commune's to its reviewer, leader and the province; a unit's also to its own people.
    ("dashboards:mine", "GET"):             (GO,        GO,        GO,        GO,        GO,        GO,        GO),
    ("dashboards:commune", "GET"):          (FORBIDDEN, FORBIDDEN, OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("dashboards:unit", "GET"):             (OK,        FORBIDDEN, OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("dashboards:province", "GET"):         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN),
    ("dashboards:province_xlsx", "GET"):    (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN),
    # Everyone reads their own reminders; the outsider's page speaks only of Mai Phụ.
    ("alerts:list", "GET"):                 (OK,        OK,        OK,        OK,        OK,        OK,        OK),
    # Excel import and roll-over: the commune's reviewer only; the export: anyone who reads the plan.
    ("imports:upload", "GET"):              (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN),
    # The outsider may upload for Mai Phụ, but naming Nghĩa Đàn is an invalid choice: the form comes back.
    ("imports:upload", "POST"):             (FORBIDDEN, FORBIDDEN, ONWARD,    FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN),
    ("imports:template", "GET"):            (OK,        OK,        OK,        OK,        OK,        OK,        OK),
    ("imports:preview", "GET"):             (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, FORBIDDEN),
    ("imports:fix_unit", "GET"):            (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    # Creating the missing unit is a write (the walk's data now holds the units), not yet the plan's.
    ("imports:fix_unit", "POST"):           (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, FORBIDDEN),
    ("imports:confirm", "GET"):             (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("imports:confirm", "POST"):            (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, FORBIDDEN),
    ("imports:export", "GET"):              (OK,        OK,        OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("imports:rollover", "GET"):            (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN),
    ("imports:rollover", "POST"):           (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN),
    # A list of people: the province administrator (any commune of the province) and a commune's reviewer
    # (their commune). world's batch is the administrator's, for the whole province: hidden from a reviewer.
    # The outsider may upload for Mai Phụ (rows naming Nghĩa Đàn become problems in the preview).
    ("imports:people_upload", "GET"):       (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, OK),
    ("imports:people_upload", "POST"):      (FORBIDDEN, FORBIDDEN, ONWARD,    FORBIDDEN, ONWARD,    FORBIDDEN, ONWARD),
    ("imports:people_template", "GET"):     (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, OK),
    ("imports:people_preview", "GET"):      (FORBIDDEN, FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("imports:people_confirm", "GET"):      (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    # The one-time passwords are in the answer itself, never behind a redirect.
    ("imports:people_confirm", "POST"):     (FORBIDDEN, FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN,    FORBIDDEN, CREATED),
    # The first login's new password, for people whose password was chosen for them; nobody here is.
    ("imports:first_password", "GET"):      (GO,        GO,        GO,        GO,        GO,        GO,        GO),
    ("imports:first_password", "POST"):     (GO,        GO,        GO,        GO,        GO,        GO,        GO),
    # Reports to the province: the reviewer drafts, edits, submits, sends and corrects; the leader approves or
    # returns; the province reads sent versions only (world's report is a draft: hidden from it); unit staff
    # see their rows elsewhere, not the whole-commune report.
    ("reports:list", "GET"):                (FORBIDDEN, FORBIDDEN, OK,        OK,        HIDDEN,    OK,        HIDDEN),
    ("reports:create", "GET"):              (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN),
    # world.period already has the draft: the reviewer is sent to it, nothing created.
    ("reports:create", "POST"):             (FORBIDDEN, FORBIDDEN, BOUNCED,   FORBIDDEN, HIDDEN,    FORBIDDEN, HIDDEN),
    ("reports:detail", "GET"):              (FORBIDDEN, FORBIDDEN, OK,        OK,        HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:edit", "GET"):                (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:edit", "POST"):               (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:pdf", "GET"):                 (FORBIDDEN, FORBIDDEN, OK,        OK,        HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:xlsx", "GET"):                (FORBIDDEN, FORBIDDEN, OK,        OK,        HIDDEN,    HIDDEN,    HIDDEN),
    # Polled while the worker makes the approved files; the walk's draft is not being made: "done, reload".
    ("reports:files_status", "GET"):        (FORBIDDEN, FORBIDDEN, OK,        OK,        HIDDEN,    HIDDEN,    HIDDEN),
    # The reviewer submits the complete draft to the leader; the leader may approve or return only what was
    # submitted, so in the walk (the report stays a draft for the leader) both are explained, nothing changed.
    ("reports:submit", "GET"):              (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("reports:submit", "POST"):             (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:approve", "GET"):             (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("reports:approve", "POST"):            (FORBIDDEN, FORBIDDEN, FORBIDDEN, BOUNCED,   HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:return", "GET"):              (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("reports:return", "POST"):             (FORBIDDEN, FORBIDDEN, FORBIDDEN, BOUNCED,   HIDDEN,    HIDDEN,    HIDDEN),
    # A submitted report cannot be sent or corrected: explained, nothing changed.
    ("reports:send", "GET"):                (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("reports:send", "POST"):               (FORBIDDEN, FORBIDDEN, BOUNCED,   FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN),
    ("reports:correct", "GET"):             (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("reports:correct", "POST"):            (FORBIDDEN, FORBIDDEN, BOUNCED,   FORBIDDEN, HIDDEN,    HIDDEN,    HIDDEN),
    # Administration (/quan-ly/): the province administrator runs every commune of the province; a commune's
    # reviewer (Phòng VH-XH) runs their own commune only (sent there from the home page); nobody else.
    ("administration:home", "GET"):              (FORBIDDEN, FORBIDDEN, GO,        FORBIDDEN, GO,        FORBIDDEN, OK),
    ("administration:commune_create", "GET"):    (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("administration:commune_create", "POST"):   (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED),
    ("administration:commune", "GET"):           (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("administration:unit_list", "GET"):         (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("administration:unit_paste", "GET"):        (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    # The preview writes nothing.
    ("administration:unit_paste", "POST"):       (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("administration:unit_create_many", "GET"):  (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("administration:unit_create_many", "POST"): (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("administration:unit_edit", "GET"):         (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("administration:unit_edit", "POST"):        (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("administration:people", "GET"):            (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("administration:person", "GET"):            (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("administration:person", "POST"):           (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("administration:person_active", "GET"):     (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("administration:person_active", "POST"):    (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("administration:membership_remove", "GET"): (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("administration:membership_remove", "POST"): (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    # The province's catalogue of common indicators: its administrator keeps it, the province reads it and its
    # matrix; the commune's reviewer and the administrator settle the links (the walk suggests, then relinks).
    ("catalogue:list", "GET"):              (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK),
    ("catalogue:create", "GET"):            (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("catalogue:create", "POST"):           (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED),
    ("catalogue:edit", "GET"):              (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("catalogue:edit", "POST"):             (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED),
    ("catalogue:export", "GET"):            (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK),
    ("catalogue:import_upload", "GET"):     (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("catalogue:import_upload", "POST"):    (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, ONWARD),
    ("catalogue:import_preview", "GET"):    (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("catalogue:import_confirm", "GET"):    (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("catalogue:import_confirm", "POST"):   (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED),
    ("catalogue:links", "GET"):             (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, OK),
    ("catalogue:suggest", "GET"):           (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("catalogue:suggest", "POST"):          (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("catalogue:link_action", "GET"):       (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("catalogue:link_action", "POST"):      (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("catalogue:matrix", "GET"):            (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK),
    ("catalogue:matrix_xlsx", "GET"):       (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        OK),
    # API tokens: the province administrator issues (the token is shown once) and revokes its province's;
    # the docs page is for anyone signed in (it holds no data). The JSON API itself answers bearer tokens,
    # not sessions: tests/test_api_access.py walks it.
    ("api:client_list", "GET"):             (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("api:client_list", "POST"):            (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SHOWN),
    ("api:client_revoke", "GET"):           (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("api:client_revoke", "POST"):          (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED),
    ("api:docs", "GET"):                    (OK,        OK,        OK,        OK,        OK,        OK,        OK),
    # The reporting calendar: the province administrator makes the province's year; a commune's reviewer (and
    # the province administrator) adds a commune's own period and locks or unlocks it with a reason. The
    # outsider has a calendar of Mai Phụ's, where Nghĩa Đàn is not a choice and its period does not exist.
    ("periods:list", "GET"):                (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, OK),
    ("periods:create_year", "GET"):         (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ("periods:create_year", "POST"):        (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, SAVED),
    ("periods:create", "GET"):              (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN, OK),
    ("periods:create", "POST"):             (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, INVALID,   FORBIDDEN, SAVED),
    ("periods:detail", "GET"):              (FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, HIDDEN,    FORBIDDEN, OK),
    ("periods:deadlines", "GET"):           (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("periods:deadlines", "POST"):          (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    # Locked, then unlocked in routing order: the period is open again for the rows after.
    ("periods:lock", "GET"):                (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("periods:lock", "POST"):               (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    ("periods:unlock", "GET"):              (POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY),
    ("periods:unlock", "POST"):             (FORBIDDEN, FORBIDDEN, SAVED,     FORBIDDEN, HIDDEN,    FORBIDDEN, SAVED),
    # Everyone changes their own password (the reset pages sit under dang-nhap/ and open without a login).
    ("password_change", "GET"):             (OK,        OK,        OK,        OK,        OK,        OK,        OK),
    ("password_change_done", "GET"):        (OK,        OK,        OK,        OK,        OK,        OK,        OK),
}
# fmt: on

SKIPPED_ROUTES = ("quan-tri/", "dang-nhap/", "dang-xuat/")
# The JSON API answers bearer tokens, not sessions; tests/test_api_access.py walks its routes.
SKIPPED_NAMESPACES = ("v1",)


def post_data(name: str, entries) -> dict:
    """A valid form for each POST row, so a refusal is the permission speaking, not the form."""
    forms = {
        "tracking:review_action": {
            "ky": entries.result.period_id,
            "action": "approve",
            "items": [
                f"indicator:{entries.result.pk}@{entries.result.version}",
                f"task:{entries.update.pk}@{entries.update.version}",
            ],
        },
        "tracking:result_edit": {
            "value": "90",
            "note": "Số liệu quý 4",
            "action": "submit",
            "version": entries.result.version,
        },
        "tracking:result_preview": {"value": "90"},
        "tracking:update_edit": {
            "progress": "in_progress",
            "percent_complete": "60",
            "results": "Đã số hóa 60% hồ sơ",
            "action": "submit",
            "version": entries.update.version,
        },
        "tracking:contribution_edit": {"text": "Phối hợp rà soát hồ sơ"},
        "evidence:remove": {},
        "tracking:request_record": {"requested_on": "01/10/2026", "request_due_date": "15/11/2026"},
        "imports:upload": {
            "commune": entries.result.indicator.plan.commune_id,
            "title": "Kế hoạch nhập thử",
            "year": "2027",
            "file": SimpleUploadedFile("ke-hoach.xlsx", IMPORT_XLSX),
        },
        "imports:fix_unit": {"mention": "Tổ công nghệ số cộng đồng", "action": "create", "kind": "village"},
        "imports:confirm": {"sha256": hashlib.sha256(IMPORT_XLSX).hexdigest()},
        "imports:rollover": {"year": "2027"},
        "imports:people_upload": {"file": SimpleUploadedFile("nguoi-dung.xlsx", PEOPLE_XLSX)},
        "imports:people_confirm": {"sha256": hashlib.sha256(PEOPLE_XLSX).hexdigest()},
        "imports:first_password": {
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
        "api:client_list": {
            "province": entries.result.indicator.plan.commune.province_id,
            "name": "Hệ thống báo cáo",
        },
        "api:client_revoke": {},
        "reports:create": {"period": entries.result.period_id},
        "reports:edit": {
            "number": "05/BC-UBND",
            "report_date": "05/01/2027",
            "place": "Nghĩa Đàn",
            "subject": "Kết quả thực hiện chuyển đổi số quý IV năm 2026",
            "overall_assessment": "Đã hoàn thành phần lớn nhiệm vụ.",
            "signer_authority": "TM. ỦY BAN NHÂN DÂN",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn An",
            "recipients": "Sở KH&CN tỉnh Nghệ An",
        },
        "reports:submit": {},
        "reports:approve": {
            "number": "05/BC-UBND",
            "report_date": "05/01/2027",
            "signer_authority": "TM. ỦY BAN NHÂN DÂN",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn An",
        },
        "reports:return": {"comment": "Bổ sung số liệu chỉ tiêu 1"},
        "reports:send": {},
        "reports:correct": {"reason": "Sửa số liệu chỉ tiêu 1"},
        "administration:commune_create": {
            "province": entries.result.indicator.plan.commune.province_id,
            "kind": "xa",
            "name": "Nghĩa Thọ",
            "code": "17012",
        },
        "administration:unit_paste": {"names": "Công an xã\nTrạm Y tế xã"},
        "administration:unit_create_many": {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-name": "Công an xã",
            "form-0-kind": "police_military",
        },
        "administration:unit_edit": {
            "name": "Trung tâm Phục vụ hành chính công",
            "short_name": "TTPVHCC",
            "kind": "office",
            "active": "on",
        },
        "administration:person": {
            "unit": entries.result.indicator.plan.commune.units.get(name="Phòng Văn hóa - Xã hội").pk,
            "role": "staff",
        },
        "administration:person_active": {"active": "0"},
        "administration:membership_remove": {},
        "catalogue:create": {**CATALOGUE_ENTRY, "code": "CS-99"},
        "catalogue:edit": {**CATALOGUE_ENTRY, "name": "Tỷ lệ hồ sơ giải quyết trực tuyến (sửa)"},
        "catalogue:import_upload": {"file": SimpleUploadedFile("danh-muc.xlsx", CATALOGUE_XLSX)},
        "catalogue:import_confirm": {"sha256": hashlib.sha256(CATALOGUE_XLSX).hexdigest()},
        "catalogue:suggest": {},
        "catalogue:link_action": {
            "action": "relink",
            "entry": CatalogueEntry.objects.get(province__name="Nghệ An", code="CS-01").pk,
        },
        "tracking:plan_status": {"action": "issue"},
        # 2028: a year not yet begun, so no new period becomes the open one for the rows after.
        "periods:create_year": {
            "province": entries.result.indicator.plan.commune.province_id,
            "year": "2028",
            "kinds": ["quarter"],
            "due_day": "15",
            "internal_days_before": "5",
        },
        "periods:create": {
            "commune": entries.result.indicator.plan.commune_id,
            "kind": "month",
            "year": "2028",
            "number": "1",
            "due_day": "15",
            "internal_days_before": "5",
        },
        # world.period keeps its due date; the units' deadline moves from 5 to 7 days before it.
        "periods:deadlines": {"due_date": "31/12/2026", "internal_days_before": "7"},
        "periods:lock": {"reason": "Đã chốt số liệu quý 4"},
        "periods:unlock": {"reason": "Đơn vị xin bổ sung số liệu"},
    }
    return forms[name]


def _import_workbook() -> bytes:
    header = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời gian hoàn thành"]
    return workbook_bytes(
        {"Nhiệm vụ": [header, ["I", "Hạ tầng số"], ["1", "Lắp wifi", "Trung tâm PVHCC", "2027"]]}
    )


# Made once: the confirmation names the hash of exactly these bytes.
IMPORT_XLSX = _import_workbook()


def _import_batch(world) -> ImportBatch:
    """The reviewer's upload of a new plan for Nghĩa Đàn, waiting for its confirmation."""
    existing = ImportBatch.objects.filter(commune=world.commune).first()
    return existing or batch_create(
        commune=world.commune,
        user=world.reviewer,
        upload_name="ke-hoach.xlsx",
        data=IMPORT_XLSX,
        plan=None,
        title="Kế hoạch nhập thử",
        year=2027,
    )


PEOPLE_XLSX = workbook_bytes(
    {
        "Người dùng": [
            ["Họ và tên", "Tên đăng nhập", "Email", "Xã/phường", "Đơn vị", "Vai trò"],
            ["Lê Thị Mai", "mai.nghiadan", "", "xã Nghĩa Đàn", "Phòng Kinh tế", "Cán bộ"],
        ]
    }
)
CATALOGUE_ENTRY = {
    "code": "CS-01",
    "name": "Tỷ lệ hồ sơ thủ tục hành chính giải quyết trực tuyến",
    "pillar": "chinh_quyen",
    "measure": "percent",
    "aggregation": "rate",
    "source": "KH 02-KH/BCĐTW, mục II.2",
    "target_text": "Tối thiểu 80%",
}
CATALOGUE_XLSX = workbook_bytes(
    {
        "Danh mục": [
            ["Mã", "Tên chỉ tiêu", "Trụ cột", "Đo bằng", "Cách tổng hợp", "Nguồn", "Mục tiêu của tỉnh"],
            [
                "CS-20",
                "Tỷ lệ người dân có điện thoại thông minh",
                "Xã hội số",
                "Tỷ lệ",
                "Tỷ lệ",
                "KH 02",
                "90%",
            ],
        ]
    }
)


def _people_batch(world) -> PeopleBatch:
    """The province administrator's list of people for Nghệ An, waiting for its confirmation."""
    existing = PeopleBatch.objects.filter(province=world.commune.province).first()
    return existing or people_batch_create(
        province=world.commune.province,
        commune=None,
        user=world.province_admin,
        upload_name="nguoi-dung.xlsx",
        data=PEOPLE_XLSX,
    )


def _catalogue_entry(world) -> CatalogueEntry:
    """Nghệ An's entry the walk edits and links world.indicator to, made through the service the form uses."""
    existing = CatalogueEntry.objects.filter(province=world.commune.province, code="CS-01").first()
    return existing or catalogue_entry_save(province=world.commune.province, **CATALOGUE_ENTRY)


def _catalogue_import(world) -> CatalogueImport:
    existing = CatalogueImport.objects.filter(province=world.commune.province).first()
    return existing or catalogue_import_create(
        province=world.commune.province,
        user=world.province_admin,
        upload_name="danh-muc.xlsx",
        data=CATALOGUE_XLSX,
    )


def _draft_report(world) -> Report:
    """The reviewer's draft report of world.period, made through the service the page uses."""
    existing = Report.objects.filter(plan=world.plan, period=world.period).first()
    if existing:
        return existing
    # Numbered and signed, as the reviewer may submit only a report that carries them.
    report = report_create(plan=world.plan, period=world.period, actor=world.reviewer)
    return report_update(
        report=report, actor=world.reviewer, number="05/BC-UBND", signer_name="Nguyễn Văn An"
    )


def _api_client(world) -> ApiClient:
    """A token of Nghệ An that its administrator issued for the province's reporting system."""
    existing = ApiClient.objects.filter(province=world.commune.province).first()
    if existing:
        return existing
    province = world.commune.province
    return api_client_create(province=province, name="Hệ thống báo cáo tỉnh", actor=world.province_admin)[0]


def url_kwargs(world, entries) -> dict[str, int]:
    return {
        "plan_id": world.plan.pk,
        "indicator_id": world.indicator.pk,
        "task_id": world.task.pk,
        "period_id": world.period.pk,
        "evidence_id": entries.evidence.pk,
        "commune_id": world.commune.pk,
        "unit_id": world.lead_unit.pk,
        "batch_id": _import_batch(world).pk,
        "people_batch_id": _people_batch(world).pk,
        "report_id": _draft_report(world).pk,
        "user_id": world.colleague.pk,
        "membership_id": _second_membership(world).pk,
        "entry_id": _catalogue_entry(world).pk,
        "catalogue_import_id": _catalogue_import(world).pk,
        "client_id": _api_client(world).pk,
    }


def _second_membership(world) -> Membership:
    """The colleague's second unit in Nghĩa Đàn (a village), which administration may take away again."""
    village = Unit.objects.filter(commune=world.commune, name="Thôn 1").first() or builders.unit(
        world.commune, "Thôn 1"
    )
    return Membership.objects.get_or_create(
        user=world.colleague, unit=village, defaults={"role": Role.STAFF}
    )[0]


def routed_urls(patterns=None, namespace: str = "", keywords: tuple[str, ...] = ()):
    """(name, URL keywords) of every routed view except the admin, login, logout and static files."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern).lstrip("^")
        if route.startswith((*SKIPPED_ROUTES, settings.STATIC_URL.lstrip("/"))):
            continue
        names = (*keywords, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver) and entry.namespace in SKIPPED_NAMESPACES:
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routed_urls(entry.url_patterns, inner, names)
        else:
            assert entry.name, f"The view at {route!r} has no URL name: name it so it can be checked here."
            yield f"{namespace}{entry.name}", names


def reverse_with(name: str, keywords: tuple[str, ...], values: dict[str, int]) -> str:
    unknown = [k for k in keywords if k not in values]
    if unknown:
        pytest.fail(f"URL {name!r} takes {unknown}: add them to url_kwargs() in {__name__} so it is checked.")
    return reverse(name, kwargs={k: values[k] for k in keywords})


def requests_to_make(world, entries):
    """(name, method, url) for every row of the walk, in routing order; a routed URL without a row fails."""
    values = url_kwargs(world, entries)
    for name, keywords in routed_urls():
        methods = [method for method in ("GET", "POST") if (name, method) in SPEC]
        if not methods:
            pytest.fail(f"URL {name!r} has no row in SPEC: say who may GET (and POST) it.")
        url = reverse_with(name, keywords, values)
        for method in methods:
            yield name, method, url


def send(client, name: str, method: str, url: str, entries):
    return client.post(url, post_data(name, entries)) if method == "POST" else client.get(url)


def body(response) -> bytes:
    """The whole body; reading a file response to its end also closes the file, as a WSGI server would."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def data_state() -> tuple:
    """Everything a POST of the walk could change."""
    return (
        list(IndicatorResult.objects.order_by("pk").values_list("pk", "status", "version", "value")),
        list(TaskUpdate.objects.order_by("pk").values_list("pk", "status", "version", "percent_complete")),
        list(TaskContribution.objects.order_by("pk").values_list("pk", "text")),
        list(Task.objects.order_by("pk").values_list("pk", "requested_on", "request_due_date")),
        Evidence.objects.count(),
        list(Report.objects.order_by("pk").values_list("pk", "status", "version", "overall_assessment")),
        list(Commune.objects.order_by("pk").values_list("pk", "name", "kind", "code")),
        list(Unit.objects.order_by("pk").values_list("pk", "name", "short_name", "kind", "active")),
        list(Membership.objects.order_by("pk").values_list("pk", "user_id", "unit_id", "role")),
        list(get_user_model().objects.order_by("pk").values_list("pk", "is_active")),
        list(CatalogueEntry.objects.order_by("pk").values_list("pk", "code", "name", "target_text")),
        list(IndicatorLink.objects.order_by("pk").values_list("pk", "indicator_id", "entry_id", "state")),
        list(ApiClient.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Plan.objects.order_by("pk").values_list("pk", "status")),
        list(
            ReportingPeriod.objects.order_by("pk").values_list(
                "pk", "locked_at", "lock_reason", "due_date", "internal_days_before"
            )
        ),
        PeriodLockEvent.objects.count(),
    )


def secrets_of(world) -> list[str]:
    """What someone outside Nghĩa Đàn must never read."""
    return [world.plan.title, world.indicator.name, world.task.description, world.commune.name]


@dataclass
class Entries:
    result: IndicatorResult
    update: TaskUpdate
    evidence: Evidence


@contextmanager
def saved_by(user):
    """Call services as the entry form would: inside a request, so the history names who saved."""
    HistoricalRecords.context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


@pytest.fixture
def entries(world, settings, tmp_path, monkeypatch) -> Entries:
    """The clerk's submitted result (with a PDF) and task update for the open period.

    Today is after world.period (2026-Q4) has ended, so the reviewer's draft can be dated and submitted."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2027, 1, 5))
    settings.MEDIA_ROOT = tmp_path
    with saved_by(world.clerk):
        submitted = _submit(world)
    _draft_report(world)  # before any walk takes its snapshot of the data
    _second_membership(world)
    _catalogue_entry(world)
    _catalogue_import(world)
    _api_client(world)
    return submitted


def _submit(world) -> Entries:
    result = indicator_result_save(
        indicator=world.indicator, period=world.period, actor=world.clerk, value=Decimal(85), submit=True
    )
    update = task_update_save(
        task=world.task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=40,
        results="Đã số hóa 40% hồ sơ",
        submit=True,
    )
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    evidence = evidence_attach(owner=result, upload=upload, actor=world.clerk)
    return Entries(result=result, update=update, evidence=evidence)


def test_every_routed_url_has_a_row_and_every_row_a_url():
    routed = {name for name, _keywords in routed_urls()}
    assert routed == {name for name, _method in SPEC}


def test_anonymous_is_sent_to_login_from_every_url(client, world, entries):
    before = data_state()
    for name, method, url in requests_to_make(world, entries):
        response = send(client, name, method, url, entries)
        assert response.status_code == 302, (name, method, response.status_code)
        assert response["Location"].startswith(reverse("login")), (name, method, response["Location"])
    assert data_state() == before


@pytest.mark.parametrize("who", PEOPLE)
def test_every_url_answers_each_person_as_the_spec_says(client, world, entries, who):
    column = PEOPLE.index(who)
    client.force_login(getattr(world, who))
    answers, wrong = [], []
    for name, method, url in requests_to_make(world, entries):
        expected = SPEC[name, method][column]
        before = data_state()
        response = send(client, name, method, url, entries)
        content = body(response)
        changed = data_state() != before
        answers.append(f"{method} {name}: {response.status_code} (expected {expected!r})")
        if response.status_code not in expected.statuses or changed != expected.changes:
            wrong.append(
                f"{method} {name} {url}: {response.status_code}, changed={changed}; want {expected!r}"
            )
        if who == "outsider":
            leaked = [s for s in secrets_of(world) if s.encode() in content]
            assert not leaked, f"{method} {name} shows the outsider {leaked}"
    assert not wrong, "\n".join([f"{who}:", *wrong, "", "all answers:", *answers])


@pytest.mark.parametrize("who", ["province_viewer", "outsider", "colleague"])
def test_a_post_to_any_url_changes_nothing_for_people_who_may_not_write(client, world, entries, who):
    # Beyond the table's POST rows: a view added later that forgets to refuse a POST is caught here too.
    client.force_login(getattr(world, who))
    values = url_kwargs(world, entries)
    before = data_state()
    for name, keywords in routed_urls():
        data = post_data(name, entries) if (name, "POST") in SPEC else {}
        client.post(reverse_with(name, keywords, values), data)
        assert data_state() == before, f"POST {name} as {who} changed the data"


def test_evidence_download_gives_the_clerk_the_file_itself(client, world, entries):
    client.force_login(world.clerk)
    response = client.get(reverse("evidence:download", args=[entries.evidence.pk]))
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_behind_nginx_the_evidence_download_hands_the_file_to_nginx_after_the_check(
    client, world, entries, settings
):
    settings.MEDIA_X_ACCEL_PREFIX = "/_media-internal/"
    client.force_login(world.clerk)
    response = client.get(reverse("evidence:download", args=[entries.evidence.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"].startswith("/_media-internal/evidence/")
    client.force_login(world.colleague)
    refused = client.get(reverse("evidence:download", args=[entries.evidence.pk]))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


# -- focused refusals -------------------------------------------------------------------------------------


def test_colleague_posting_the_clerks_result_form_is_refused_and_changes_nothing(client, world, entries):
    before = data_state()
    client.force_login(world.colleague)
    url = reverse("tracking:result_edit", args=[world.indicator.pk, world.period.pk])
    response = client.post(
        url, {"value": "10", "note": "sửa hộ", "action": "submit", "version": entries.result.version}
    )
    assert response.status_code in (403, 404)
    assert data_state() == before
    entries.result.refresh_from_db()
    assert entries.result.value == Decimal(85) and entries.result.author == world.clerk


def test_colleague_posting_the_clerks_task_update_form_is_refused_and_changes_nothing(client, world, entries):
    before = data_state()
    client.force_login(world.colleague)
    url = reverse("tracking:update_edit", args=[world.task.pk, world.period.pk])
    data = {"progress": "done", "percent_complete": "100", "results": "Xong", "action": "submit"}
    data["version"] = entries.update.version
    response = client.post(url, data)
    assert response.status_code in (403, 404)
    assert data_state() == before
    entries.update.refresh_from_db()
    assert entries.update.percent_complete == 40 and entries.update.progress == "in_progress"


def test_colleague_cannot_download_the_clerks_evidence(client, world, entries):
    client.force_login(world.colleague)
    response = client.get(reverse("evidence:download", args=[entries.evidence.pk]))
    assert response.status_code == 404
    assert PDF not in body(response)


def _statuses(entries) -> list[str]:
    return [
        IndicatorResult.objects.get(pk=entries.result.pk).status,
        TaskUpdate.objects.get(pk=entries.update.pk).status,
    ]


@pytest.mark.parametrize(
    "form",
    [{"action": "approve"}, {"action": "return", "comment": "Số liệu chưa khớp"}],
    ids=["approve", "return"],
)
def test_reviewer_of_another_commune_cannot_review_this_communes_entries(client, world, entries, form):
    client.force_login(world.outsider)
    items = [
        f"indicator:{entries.result.pk}@{entries.result.version}",
        f"task:{entries.update.pk}@{entries.update.version}",
    ]
    url = reverse("tracking:review_action")
    client.post(url, {**form, "items": items})
    assert _statuses(entries) == [WorkflowStatus.SUBMITTED, WorkflowStatus.SUBMITTED]
    # Naming this commune's period does not lend its queue either.
    response = client.post(url, {**form, "items": items, "ky": world.period.pk})
    assert response.status_code == 404
    assert _statuses(entries) == [WorkflowStatus.SUBMITTED, WorkflowStatus.SUBMITTED]


def _submitted_entries_of_the_other_commune(world) -> Entries:
    """A clerk of Mai Phụ submits a result and a task update in Mai Phụ's own open period."""
    unit = builders.unit(world.other_commune, "Phòng Kinh tế")
    clerk = builders.member(unit, Role.STAFF, "mai-phu.clerk")
    period = builders.period(world.other_commune, "2026-Q4")
    indicator = builders.indicator(
        world.other_plan.sections.get(), name="Chỉ tiêu Mai Phụ", lead="Phòng Kinh tế"
    )
    tasks = builders.section(world.other_plan, SectionKind.TASKS, title="Nhiệm vụ Mai Phụ")
    task = builders.task(tasks, description="Nhiệm vụ Mai Phụ", lead="Phòng Kinh tế")
    result = indicator_result_save(
        indicator=indicator, period=period, actor=clerk, value=Decimal(50), submit=True
    )
    update = task_update_save(
        task=task,
        period=period,
        actor=clerk,
        progress="in_progress",
        percent_complete=10,
        results="Mới bắt đầu",
        submit=True,
    )
    return Entries(result=result, update=update, evidence=None)


def test_crafted_item_key_of_another_commune_changes_nothing(client, world, entries):
    theirs = _submitted_entries_of_the_other_commune(world)
    client.force_login(world.reviewer)
    url = reverse("tracking:review_action")
    crafted = [
        f"indicator:{theirs.result.pk}@{theirs.result.version}",
        f"task:{theirs.update.pk}@{theirs.update.version}",
    ]
    client.post(url, {"action": "approve", "items": crafted, "ky": world.period.pk})
    assert _statuses(theirs) == [WorkflowStatus.SUBMITTED, WorkflowStatus.SUBMITTED]
    # Slipped in beside this commune's own keys, the crafted ones spoil the whole batch: all or nothing.
    own = [
        f"indicator:{entries.result.pk}@{entries.result.version}",
        f"task:{entries.update.pk}@{entries.update.version}",
    ]
    client.post(url, {"action": "approve", "items": [*own, *crafted], "ky": world.period.pk})
    assert _statuses(theirs) == [WorkflowStatus.SUBMITTED, WorkflowStatus.SUBMITTED]
    assert _statuses(entries) == [WorkflowStatus.SUBMITTED, WorkflowStatus.SUBMITTED]


def test_reviewer_approves_own_communes_entries_through_review_action(client, world, entries):
    client.force_login(world.reviewer)
    items = [
        f"indicator:{entries.result.pk}@{entries.result.version}",
        f"task:{entries.update.pk}@{entries.update.version}",
    ]
    response = client.post(reverse("tracking:review_action"), {"action": "approve", "items": items})
    assert response.status_code == 302
    assert _statuses(entries) == [WorkflowStatus.APPROVED, WorkflowStatus.APPROVED]


# -- bugs found while writing the table, fixed since: each test keeps them fixed ------------------------


@pytest.mark.parametrize("url_name", ["tracking:indicator_detail", "tracking:task_detail"])
def test_item_page_shows_history_saved_without_a_user(client, world, settings, tmp_path, url_name):
    # A save outside a request (import, shell, a future management command) or by a since-deleted user
    # leaves history_user empty; the page must still render.
    settings.MEDIA_ROOT = tmp_path
    _submit(world)
    client.raise_request_exception = False
    client.force_login(world.clerk)
    item = world.indicator if url_name == "tracking:indicator_detail" else world.task
    assert client.get(reverse(url_name, args=[item.pk])).status_code == 200


def _province_wide_period(world, code: str = "2026-M12") -> ReportingPeriod:
    spec = parse_period_code(code)
    return ReportingPeriod.objects.create(
        province=world.commune.province,
        kind=spec.kind,
        year=spec.year,
        number=spec.number,
        start=spec.start,
        end=spec.end,
        due_date=spec.end,
    )


def test_review_queue_of_a_neighbouring_commune_leaves_out_this_communes_entries(client, world):
    neighbour = builders.commune("Nghĩa Hưng", world.commune.province.name)
    reviewer = builders.member(
        builders.unit(neighbour, "Phòng Văn hóa - Xã hội"), Role.REVIEWER, "nghia-hung.reviewer"
    )
    period = _province_wide_period(world)
    result = indicator_result_save(
        indicator=world.indicator, period=period, actor=world.clerk, value=Decimal(85), submit=True
    )
    client.force_login(reviewer)
    page = client.get(reverse("tracking:review"), {"ky": period.pk}).content.decode()
    assert f"indicator:{result.pk}" not in page
    assert world.indicator.name not in page


@pytest.mark.parametrize(
    "ky",
    [
        pytest.param("²", id="superscript-two"),
        pytest.param("99999999999999999999999", id="out-of-range"),
        pytest.param("abc", id="letters"),
    ],
)
def test_review_pages_answer_a_crafted_period_id_with_404(client, world, ky):
    client.raise_request_exception = False
    client.force_login(world.reviewer)
    assert client.get(reverse("tracking:review"), {"ky": ky}).status_code == 404
    assert client.post(reverse("tracking:review_action"), {"ky": ky, "action": "approve"}).status_code == 404


def test_review_action_ignores_a_crafted_huge_item_key(client, world, entries):
    client.raise_request_exception = False
    client.force_login(world.reviewer)
    items = [f"indicator:{10**30}@1", f"task:{10**30}@1"]
    response = client.post(reverse("tracking:review_action"), {"action": "approve", "items": items})
    assert response.status_code == 302
    assert _statuses(entries) == [WorkflowStatus.SUBMITTED, WorkflowStatus.SUBMITTED]
