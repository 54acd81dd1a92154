from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import ALLOWED_AGGREGATIONS, Aggregation, CatalogueEntry, Measure
from catalogue.sheet import CODE_LIMIT
from common.uploads import MAX_UPLOAD_BYTES
from plans.workflow import Pillar

LINK_ACTIONS = [("confirm", _("Xác nhận")), ("refuse", _("Từ chối")), ("relink", _("Liên kết với"))]


class EntryForm(forms.Form):
    code = forms.RegexField(
        regex=r"^[A-Za-z0-9_.\-]+$",
        max_length=CODE_LIMIT,
        label=_("Mã"),
        error_messages={"invalid": _("Mã chỉ gồm chữ không dấu, số và dấu - _ .")},
    )
    name = forms.CharField(
        label=_("Tên chỉ tiêu"), max_length=1000, widget=forms.TextInput(attrs={"size": 80})
    )
    pillar = forms.ChoiceField(label=_("Trụ cột"), choices=Pillar.choices, initial=Pillar.OTHER)
    measure = forms.ChoiceField(label=_("Đo bằng"), choices=Measure.choices)
    aggregation = forms.ChoiceField(label=_("Cách tổng hợp các xã"), choices=Aggregation.choices)
    source = forms.CharField(
        label=_("Nguồn (văn bản, mục)"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: KH 02-KH/BCĐTW, mục II.1"),
        widget=forms.TextInput(attrs={"size": 60}),
    )
    target_text = forms.CharField(
        label=_("Mục tiêu của tỉnh"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: ≥80%, Đạt, 25 dịch vụ"),
    )

    def __init__(self, *args, province, entry: CatalogueEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.province, self.entry = province, entry

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].upper()
        taken = CatalogueEntry.objects.filter(province=self.province, code=code)
        if self.entry is not None:
            taken = taken.exclude(pk=self.entry.pk)
        if taken.exists():
            raise forms.ValidationError(_("Mã này đã có trong danh mục của tỉnh."))
        return code

    def clean(self):
        cleaned = super().clean()
        measure, aggregation = cleaned.get("measure"), cleaned.get("aggregation")
        if measure and aggregation and aggregation not in ALLOWED_AGGREGATIONS[measure]:
            self.add_error(
                "aggregation",
                _("Chỉ tiêu đo bằng «%(measure)s» không tổng hợp được theo cách này.")
                % {"measure": Measure(measure).label},
            )
        return cleaned


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx), tối đa 10 MB"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading a byte into memory: Django sets no limit on file uploads by itself.
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB."))
        self.data_bytes = upload.read()
        return upload


class ConfirmForm(forms.Form):
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$")


class LinkActionForm(forms.Form):
    action = forms.ChoiceField(choices=LINK_ACTIONS)
    entry = forms.ModelChoiceField(
        queryset=CatalogueEntry.objects.none(), required=False, label=_("Chỉ tiêu chung")
    )

    def __init__(self, *args, province_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = CatalogueEntry.objects.filter(province_id=province_id)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "relink" and cleaned.get("entry") is None:
            self.add_error("entry", _("Chọn chỉ tiêu chung cần liên kết."))
        return cleaned
