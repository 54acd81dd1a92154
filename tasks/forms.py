from django import forms
from django.utils.translation import gettext_lazy as _

from plans.forms import EvidenceField
from tasks.models import TaskProgress


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
