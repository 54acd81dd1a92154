"""Form pieces shared by the entry forms: numbers typed the Vietnamese way and several evidence files."""

from decimal import Decimal

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from evidence.filetypes import ALLOWED, MAX_BYTES
from plans.selectors import ANY, MET, IndicatorState, TaskState
from plans.workflow import Pillar
from units.text import parse_decimal


class VietnameseDecimalField(forms.CharField):
    """Accepts `81,5`, `81.5` and `1.234.567`; when it is not a number, the message says how to type it."""

    default_error_messages = {"invalid": _("Giá trị phải là một số (ví dụ: 81,5).")}

    def __init__(self, *, whole: bool = False, **kwargs):
        self.whole = whole
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value) -> Decimal | int | None:
        text = super().to_python(value).strip().rstrip("%").strip()
        if not text:
            return None
        number = parse_decimal(text)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if self.whole:
            if number != number.to_integral_value():
                raise forms.ValidationError(_("Phải là số nguyên."), code="whole")
            return int(number)
        return number


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once; each is checked by content in the service, here only by count and size."""

    def __init__(self, **kwargs):
        accept = ",".join(f".{ext}" for ext in ALLOWED)
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        kwargs.setdefault("label", _("Tài liệu kiểm chứng (PDF, JPG, PNG, DOCX, XLSX; tối đa 10 MB mỗi tệp)"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > 10:
            raise forms.ValidationError(_("Mỗi lần tải tối đa 10 tệp."))
        for upload in files:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(_("Tệp «%(name)s» vượt quá 10 MB.") % {"name": upload.name})
        return files


class ReviewActionForm(forms.Form):
    ACTIONS = [("approve", _("Duyệt")), ("return", _("Trả lại")), ("reopen", _("Mở lại"))]
    action = forms.ChoiceField(choices=ACTIONS)
    items = forms.MultipleChoiceField(choices=[], error_messages={"required": _("Chưa chọn mục nào.")})
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Ý kiến / lý do")
    )

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("action") in {"return", "reopen"} and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Vui lòng ghi ý kiến khi trả lại hoặc mở lại."))
        return data


class PlainSelect(forms.Select):
    """A select whose options are written in Python.

    Django renders every option through two templates; the plan browser's filters have 150 options or more (a
    unit list of a commune), which took a third of the page's rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class BrowserFilterForm(forms.Form):
    q = forms.CharField(required=False, label=_("Tìm kiếm"), widget=forms.TextInput(attrs={"type": "search"}))
    section = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Nhóm"), widget=PlainSelect
    )
    unit = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, label=_("Đơn vị"), widget=PlainSelect
    )
    status = forms.ChoiceField(required=False, label=_("Trạng thái kỳ này"), widget=PlainSelect)
    overdue = forms.BooleanField(required=False, label=_("Chỉ nhiệm vụ quá hạn"))
    ky = forms.ChoiceField(required=False, label=_("Kỳ báo cáo"), widget=PlainSelect)
    pillar = forms.ChoiceField(
        required=False, label=_("Trụ cột"), choices=[("", _("Tất cả")), *Pillar.choices], widget=PlainSelect
    )
    verdict = forms.ChoiceField(
        required=False,
        widget=PlainSelect,
        label=_("Đánh giá chỉ tiêu"),
        choices=[
            ("", _("Tất cả")),
            (ANY, _("Mọi chỉ tiêu")),
            (MET, _("Đạt hoặc vượt")),
            *IndicatorState.choices,
        ],
    )
    task_state = forms.ChoiceField(
        required=False,
        widget=PlainSelect,
        label=_("Tiến độ nhiệm vụ"),
        choices=[("", _("Tất cả")), (ANY, _("Mọi nhiệm vụ")), *TaskState.choices],
    )
    lead_only = forms.BooleanField(required=False, label=_("Chỉ mục đơn vị chủ trì"))
    due_within = forms.IntegerField(
        required=False, min_value=1, max_value=366, label=_("Đến hạn trong (ngày)")
    )
