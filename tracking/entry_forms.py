"""The forms a unit fills in: an indicator result, a task update, a coordinating share, a request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import VietnameseDecimalField
from evidence.forms import EvidenceField
from indicators.models import Target
from indicators.targets import TargetKind
from tasks.models import TaskProgress

FLAG_CHOICES = [("", _("— Chọn —")), ("1", _("Đạt")), ("0", _("Chưa đạt"))]


class IndicatorResultForm(forms.Form):
    value = VietnameseDecimalField(label=_("Giá trị đạt được"))
    numerator = VietnameseDecimalField(whole=True, label=_("Tử số (số đạt)"))
    denominator = VietnameseDecimalField(whole=True, label=_("Mẫu số (tổng số)"))
    flag = forms.ChoiceField(choices=FLAG_CHOICES, required=False, label=_("Đánh giá"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Ghi chú"))
    evidence = EvidenceField()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

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
    progress = forms.ChoiceField(choices=TaskProgress.choices, label=_("Tình trạng"))
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
    results = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Kết quả đạt được")
    )
    difficulties = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Khó khăn, vướng mắc")
    )
    proposals = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Kiến nghị, đề xuất")
    )
    evidence = EvidenceField()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContributionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Nội dung phối hợp trong kỳ"))
    evidence = EvidenceField()


class TaskRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Ngày nhận yêu cầu (dd/mm/yyyy)"))
    request_due_date = forms.DateField(label=_("Hạn hoàn thành theo yêu cầu (dd/mm/yyyy)"))
