from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Report
from reports.services import EDITABLE_FIELDS

SIGNERS = {
    # The decree's two ways to sign for the committee: the chairman on its behalf, or a deputy for him.
    "TM. ỦY BAN NHÂN DÂN": "CHỦ TỊCH",
    "KT. CHỦ TỊCH": "PHÓ CHỦ TỊCH",
}


class ReportCreateForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Kỳ báo cáo"),
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": _("Kỳ báo cáo không thuộc kế hoạch này.")},
    )

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["period"].label_from_instance = (
            lambda p: f"{p.code} ({p.start:%d/%m/%Y}–{p.end:%d/%m/%Y})"
        )


class ReportForm(forms.ModelForm):
    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=[(key, key) for key in SIGNERS])
    report_date = forms.DateField(
        label=_("Ngày báo cáo"),
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
        error_messages={"invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/03/2026.")},
    )

    class Meta:
        model = Report
        fields = list(EDITABLE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in (
                "overall_assessment",
                "results_by_area",
                "shortcomings",
                "difficulties",
                "proposals",
                "next_tasks",
            )
        } | {"subject": forms.Textarea(attrs={"rows": 2}), "recipients": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        data = super().clean()
        authority, title = data.get("signer_authority"), (data.get("signer_title") or "").strip().upper()
        if authority and title and SIGNERS[authority] != title:
            self.add_error(
                "signer_title",
                _("Với «%(authority)s», chức vụ người ký là «%(title)s».")
                % {"authority": authority, "title": SIGNERS[authority]},
            )
        elif title:
            data["signer_title"] = title
        return data


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do đính chính"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": _("Vui lòng ghi lý do đính chính.")},
    )
