"""The calendar's forms: a province's year, one commune's period, and the reason to lock or unlock."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedTextField, VietnameseDateField
from plans.models import INTERNAL_DAYS_BEFORE, INTERNAL_DAYS_MAX, LOCK_REASON_LIMIT, PeriodKind
from plans.services import DUE_DAY

YEAR_ERRORS = {
    "required": _("Ghi năm, ví dụ 2027."),
    "invalid": _("Năm phải là một số, ví dụ 2027."),
    "min_value": _("Năm phải từ 2000 đến 2100."),
    "max_value": _("Năm phải từ 2000 đến 2100."),
}
DUE_DAY_ERRORS = {
    "required": _("Ghi ngày hạn gửi trong tháng, ví dụ 15."),
    "invalid": _("Ngày hạn gửi phải là một số từ 1 đến 31."),
    "min_value": _("Ngày hạn gửi phải từ 1 đến 31."),
    "max_value": _("Ngày hạn gửi phải từ 1 đến 31."),
}
INTERNAL_ERRORS = {
    "required": _("Ghi số ngày, ví dụ 5."),
    "invalid": _("Số ngày phải là một số nguyên."),
    "min_value": _("Số ngày không được âm."),
    "max_value": _("Hạn nội bộ sớm nhất %(limit_value)s ngày trước hạn gửi."),
}


class _DeadlineFields(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, error_messages=YEAR_ERRORS)
    due_day = forms.IntegerField(
        label=_("Hạn gửi báo cáo: ngày … của tháng sau khi kỳ kết thúc"),
        initial=DUE_DAY,
        min_value=1,
        max_value=31,
        error_messages=DUE_DAY_ERRORS,
        help_text=_("Mặc định ngày 15; tháng thiếu ngày thì lấy ngày cuối tháng."),
    )
    internal_days_before = forms.IntegerField(
        label=_("Hạn nội bộ cho các đơn vị: số ngày trước hạn gửi"),
        initial=INTERNAL_DAYS_BEFORE,
        min_value=0,
        max_value=INTERNAL_DAYS_MAX,
        error_messages=INTERNAL_ERRORS,
    )


class YearForm(_DeadlineFields):
    field_order = ["province", "year", "kinds", "due_day", "internal_days_before"]
    province = forms.ModelChoiceField(
        label=_("Tỉnh"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không quản trị tỉnh này.")},
    )
    kinds = forms.MultipleChoiceField(
        label=_("Loại kỳ"),
        choices=PeriodKind.choices,
        initial=[PeriodKind.QUARTER],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Hãy chọn ít nhất một loại kỳ."),
            "invalid_choice": _("Loại kỳ không hợp lệ."),
        },
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces


class PeriodForm(_DeadlineFields):
    field_order = ["commune", "kind", "year", "number", "due_day", "internal_days_before"]
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không quản lý xã/phường này.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại kỳ"),
        choices=PeriodKind.choices,
        error_messages={"invalid_choice": _("Loại kỳ không hợp lệ.")},
    )
    number = forms.IntegerField(
        label=_("Số kỳ"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Tháng 1-12, quý 1-4, 6 tháng 1-2; kỳ năm ghi 1."),
        error_messages={
            "required": _("Ghi số kỳ."),
            "invalid": _("Số kỳ phải là một số."),
            "min_value": _("Số kỳ phải từ 1 đến 12."),
            "max_value": _("Số kỳ phải từ 1 đến 12."),
        },
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class LockForm(forms.Form):
    reason = LimitedTextField(
        limit=LOCK_REASON_LIMIT,
        required=True,
        label=_("Lý do"),
        error_messages={"required": _("Vui lòng ghi lý do.")},
    )


class DeadlinesForm(forms.Form):
    due_date = VietnameseDateField(
        label=_("Hạn gửi báo cáo"), error_messages={"required": _("Ghi hạn gửi báo cáo, ví dụ 15/01/2027.")}
    )
    internal_days_before = forms.IntegerField(
        label=_("Hạn nội bộ cho các đơn vị: số ngày trước hạn gửi"),
        min_value=0,
        max_value=INTERNAL_DAYS_MAX,
        error_messages=INTERNAL_ERRORS,
    )
