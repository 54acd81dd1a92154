"""The forms a unit fills in: an indicator result, a task update, a coordinating share, a request."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedTextField, VietnameseDateField, VietnameseDecimalField
from evidence.forms import EvidenceField
from indicators.models import Target
from indicators.targets import TargetKind
from plans.models import Plan
from tasks.models import TaskProgress

FLAG_CHOICES = [("", _("— Chọn —")), ("1", _("Đạt")), ("0", _("Chưa đạt"))]

# What the columns hold: IndicatorResult.value is DecimalField(max_digits=14, decimal_places=2), the
# numerator and denominator PositiveBigIntegerField (a signed 64-bit column on every database).
MAX_VALUE = Decimal("999999999999.99")
MAX_COUNT = 2**63 - 1
# A unit's result, difficulty or proposal for one period is a few paragraphs of the report; 4,000 characters
# is two printed pages. A contribution or a note is a paragraph.
ENTRY_TEXT_LIMIT = 4_000
NOTE_LIMIT = 2_000


class VersionField(forms.IntegerField):
    """The version the page was opened at, hidden: anything but a plain number was not sent by the page."""

    widget = forms.HiddenInput
    default_error_messages = {"invalid": _("Phiên bản của mục không hợp lệ: hãy tải lại trang rồi nhập lại.")}

    def __init__(self, **kwargs):
        # Required: a form opened before the first save carries 0; a POST without it was not sent by the page.
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**31 - 1)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _(
                    "Biểu mẫu thiếu phiên bản của mục nên chưa lưu gì: hãy tải lại trang rồi nhập lại."
                ),
                **{code: self.default_error_messages["invalid"] for code in ("min_value", "max_value")},
            },
        )
        super().__init__(**kwargs)


class IndicatorResultForm(forms.Form):
    value = VietnameseDecimalField(
        min_value=0, max_value=MAX_VALUE, decimal_places=2, label=_("Giá trị đạt được")
    )
    numerator = VietnameseDecimalField(
        whole=True, min_value=0, max_value=MAX_COUNT, label=_("Tử số (số đạt)")
    )
    denominator = VietnameseDecimalField(
        whole=True, min_value=0, max_value=MAX_COUNT, label=_("Mẫu số (tổng số)")
    )
    flag = forms.ChoiceField(
        choices=FLAG_CHOICES,
        required=False,
        label=_("Đánh giá"),
        error_messages={"invalid_choice": _("Chọn Đạt hoặc Chưa đạt.")},
    )
    note = LimitedTextField(limit=NOTE_LIMIT, label=_("Ghi chú"))
    evidence = EvidenceField()
    version = VersionField()

    def __init__(self, *args, target: Target | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        if target is not None and target.kind == TargetKind.BOOLEAN:
            for name in ("value", "numerator", "denominator"):
                del self.fields[name]
        elif target is not None and target.kind != TargetKind.TEXT:
            del self.fields["flag"]
        if target is not None and not target.is_rate:
            self.fields.pop("numerator", None)
            self.fields.pop("denominator", None)

    def clean_flag(self):
        flag = self.cleaned_data.get("flag")
        return {"1": True, "0": False}.get(flag)

    def clean(self):
        data = super().clean()
        if self.target is not None and self.target.kind == TargetKind.BOOLEAN:
            stray = self.data.get("value", "").strip()
            if stray:
                self.add_error("flag", _("Chỉ tiêu này chỉ đánh giá Đạt/Chưa đạt, không nhập chữ hay số."))
        numerator, denominator = data.get("numerator"), data.get("denominator")
        if (numerator is None) != (denominator is None):
            self.add_error("denominator", _("Cần nhập cả tử số và mẫu số."))
        elif numerator is not None:
            if denominator == 0:
                self.add_error("denominator", _("Mẫu số phải lớn hơn 0."))
            elif numerator > denominator:
                self.add_error("numerator", _("Tử số không được lớn hơn mẫu số (tỷ lệ không vượt quá 100%)."))
            elif data.get("value") is not None:
                self.add_error("value", _("Nhập giá trị hoặc tử số/mẫu số, không nhập cả hai."))
        value = data.get("value")
        if value is not None and self.target is not None and self.target.is_rate and not 0 <= value <= 100:
            self.add_error("value", _("Tỷ lệ phải nằm trong khoảng 0–100%."))
        return data


class TaskUpdateForm(forms.Form):
    progress = forms.ChoiceField(
        choices=TaskProgress.choices,
        label=_("Tình trạng"),
        error_messages={"invalid_choice": _("Chọn một tình trạng trong danh sách.")},
    )
    percent_complete = forms.IntegerField(
        min_value=0,
        max_value=100,
        label=_("% hoàn thành"),
        error_messages={
            "min_value": _("Phần trăm hoàn thành phải từ 0 đến 100."),
            "max_value": _("Phần trăm hoàn thành phải từ 0 đến 100."),
            "invalid": _("Phần trăm hoàn thành phải là số nguyên từ 0 đến 100."),
            "required": _("Vui lòng nhập phần trăm hoàn thành."),
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"}),
    )
    results = LimitedTextField(limit=ENTRY_TEXT_LIMIT, rows=4, label=_("Kết quả đạt được"))
    difficulties = LimitedTextField(limit=ENTRY_TEXT_LIMIT, label=_("Khó khăn, vướng mắc"))
    proposals = LimitedTextField(limit=ENTRY_TEXT_LIMIT, label=_("Kiến nghị, đề xuất"))
    evidence = EvidenceField()
    version = VersionField()


class ContributionForm(forms.Form):
    text = LimitedTextField(
        limit=ENTRY_TEXT_LIMIT,
        required=True,
        label=_("Nội dung phối hợp trong kỳ"),
        error_messages={"required": _("Vui lòng ghi nội dung phối hợp.")},
    )
    evidence = EvidenceField()


class TaskRequestForm(forms.Form):
    """A request that arrived for a task: it comes within the plan's time and is due after it came."""

    requested_on = VietnameseDateField(label=_("Ngày nhận yêu cầu (dd/mm/yyyy)"))
    request_due_date = VietnameseDateField(label=_("Hạn hoàn thành theo yêu cầu (dd/mm/yyyy)"))

    def __init__(self, *args, plan: Plan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            field = self.fields["requested_on"]
            field.earliest, field.latest = (
                max(field.earliest, plan.period_start),
                min(field.latest, plan.period_end),
            )
            field.error_messages["out_of_range"] = _(
                "Ngày nhận yêu cầu phải trong thời gian của kế hoạch: %(earliest)s – %(latest)s."
            )

    def clean(self):
        data = super().clean()
        requested_on, due = data.get("requested_on"), data.get("request_due_date")
        if requested_on and due and due < requested_on:
            self.add_error("request_due_date", _("Hạn hoàn thành phải sau ngày nhận yêu cầu."))
        return data
