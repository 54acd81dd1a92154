from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import grouped
from common.text import clean_text
from common.uploads import MAX_UPLOAD_BYTES
from imports.people_reader import read_people
from imports.reader import BadFile, read_workbook
from plans.models import Plan
from units.models import Commune, Unit, UnitKind

# A plan's year: the app tracks plans from 2000 to 2100, as every date it takes.
YEAR_ERRORS = {
    "invalid": _("Năm phải là một số, ví dụ 2026."),
    "min_value": _("Năm phải từ 2000 đến 2100."),
    "max_value": _("Năm phải từ 2000 đến 2100."),
}
# A plan's title (trích yếu) is one sentence; 255 characters fit every real one and the page's heading.
TITLE_LIMIT = 255


class UploadForm(forms.Form):
    """Choose the plan to update (or name a new one) and the workbook; a bad file is refused here."""

    commune = forms.ModelChoiceField(queryset=Commune.objects.none(), label=_("Xã/phường"))
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.none(),
        required=False,
        label=_("Cập nhật kế hoạch"),
        empty_label=_("— Tạo kế hoạch mới —"),
    )
    title = forms.CharField(
        required=False,
        max_length=TITLE_LIMIT,
        label=_("Trích yếu kế hoạch mới"),
        help_text=_("Tối đa %(limit)s ký tự.") % {"limit": grouped(TITLE_LIMIT)},
        widget=forms.TextInput(attrs={"size": 80}),
        error_messages={"max_length": _("Trích yếu tối đa %(limit_value)d ký tự (đã nhập %(show_value)d).")},
    )
    year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        label=_("Năm kế hoạch mới"),
        error_messages=YEAR_ERRORS,
    )
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc Word (.docx), tối đa 10 MB"))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["plan"].queryset = Plan.objects.filter(commune__in=communes).select_related("commune")
        only = list(communes[:2])
        if len(only) == 1:
            self.fields["commune"].initial = only[0].pk
            self.fields["commune"].widget = forms.HiddenInput()
        self.fields["year"].initial = timezone.localdate().year
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading a byte into memory: Django sets no limit on file uploads by itself.
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB. Hãy chỉ giữ các bảng phụ lục của kế hoạch."))
        data = upload.read()
        try:
            read_workbook(data)
        except BadFile as error:
            raise forms.ValidationError(str(error)) from error
        self.data_bytes = data
        return upload

    def clean(self):
        cleaned = super().clean()
        commune, plan = cleaned.get("commune"), cleaned.get("plan")
        if plan is not None and commune is not None and plan.commune_id != commune.pk:
            self.add_error("plan", _("Kế hoạch này không thuộc xã đã chọn."))
        if plan is None:
            cleaned["title"] = clean_text(cleaned.get("title"))
            if not cleaned["title"]:
                self.add_error("title", _("Ghi trích yếu của kế hoạch mới, hoặc chọn kế hoạch cần cập nhật."))
            if not cleaned.get("year"):
                self.add_error("year", _("Ghi năm của kế hoạch mới."))
        return cleaned


class UnitFixForm(forms.Form):
    """From the preview: make an unknown name a new unit, or a spelling of an existing one."""

    mention = forms.CharField(max_length=255)
    action = forms.ChoiceField(
        choices=[("create", _("Tạo đơn vị mới")), ("alias", _("Là cách viết khác của"))]
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, label=_("Đơn vị"))
    kind = forms.ChoiceField(
        choices=UnitKind.choices, initial=UnitKind.OFFICE, required=False, label=_("Loại")
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_commune(commune)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "alias" and cleaned.get("unit") is None:
            self.add_error("unit", _("Chọn đơn vị mà tên này là cách viết khác."))
        return cleaned


SPLIT_PREFIX = "tach:"
SPLIT, KEEP = "split", "keep"


class ConfirmForm(forms.Form):
    """The hash of the previewed file and the answers the preview asked for: whether to read another year's
    target column as the plan's, and for each goal stating several figures, split or keep. The service
    checks the answers against the file."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$")
    target_column_year = forms.IntegerField(
        required=False, min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )

    def clean(self):
        cleaned = super().clean()
        splits = {}
        # One radio pair per goal (`tach:<trang>!<dòng>` = split | keep), as many as the preview showed.
        for name in self.data:
            if not name.startswith(SPLIT_PREFIX):
                continue
            value = self.data.get(name)
            if value not in (SPLIT, KEEP):
                raise forms.ValidationError(_("Lựa chọn tách chỉ tiêu không hợp lệ. Hãy xem trước lại."))
            splits[name.removeprefix(SPLIT_PREFIX)] = value == SPLIT
        cleaned["splits"] = splits
        return cleaned


class RolloverForm(forms.Form):
    year = forms.IntegerField(
        min_value=2000,
        max_value=2100,
        label=_("Năm của kế hoạch mới"),
        error_messages={**YEAR_ERRORS, "required": _("Ghi năm của kế hoạch mới.")},
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_year(self) -> int:
        # The service refuses the same; said here, the reason shows beside the field.
        year = self.cleaned_data["year"]
        if year <= self.plan.target_year:
            raise forms.ValidationError(
                _("Năm của kế hoạch mới phải sau năm %(year)s.") % {"year": self.plan.target_year}
            )
        return year


class PeopleUploadForm(forms.Form):
    """The list of people and, for someone who manages more than one place, where its rows may point:
    `p<id>` a whole province (its administrator), `c<id>` one commune (its reviewer)."""

    scope = forms.ChoiceField(label=_("Nhập cho"))
    file = forms.FileField(label=_("Tệp Excel (.xlsx), tối đa 10 MB"))

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes
        if len(scopes) == 1:  # nothing to choose: the field is neither shown nor needed
            self.fields["scope"].required = False
            self.fields["scope"].widget = forms.HiddenInput()
        self.only_scope = scopes[0][0] if len(scopes) == 1 else ""
        self.data_bytes = b""

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or self.only_scope

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB."))
        data = upload.read()
        try:
            read_people(data)
        except BadFile as error:
            raise forms.ValidationError(str(error)) from error
        self.data_bytes = data
        return upload


class PeopleConfirmForm(forms.Form):
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$")
