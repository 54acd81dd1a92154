"""The review queue's action form and the plan browser's filters."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedTextField
from plans.workflow import Pillar
from tracking.selectors import ANY, MET, IndicatorState, TaskState

# A reviewer's reason is a few sentences the unit reads beside its entry.
COMMENT_LIMIT = 1_000


class ReviewActionForm(forms.Form):
    ACTIONS = [("approve", _("Duyệt")), ("return", _("Trả lại")), ("reopen", _("Mở lại"))]
    action = forms.ChoiceField(
        choices=ACTIONS,
        error_messages={
            "required": _("Chọn Duyệt, Trả lại hoặc Mở lại."),
            "invalid_choice": _("Thao tác không hợp lệ: chọn Duyệt, Trả lại hoặc Mở lại."),
        },
    )
    items = forms.MultipleChoiceField(
        choices=[],
        error_messages={
            "required": _("Chưa chọn mục nào."),
            "invalid_choice": _("Có mục không còn trong hàng chờ thẩm định của xã; hãy tải lại trang."),
        },
    )
    comment = LimitedTextField(limit=COMMENT_LIMIT, rows=2, label=_("Ý kiến / lý do"))

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
    q = forms.CharField(
        required=False,
        max_length=200,  # a search is a few words; a longer one is junk, not worth folding and matching
        label=_("Tìm kiếm"),
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Từ khóa tìm kiếm tối đa 200 ký tự.")},
    )
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
        required=False,
        min_value=1,
        max_value=366,
        label=_("Đến hạn trong (ngày)"),
        error_messages={
            code: _("Số ngày phải là số nguyên từ 1 đến 366.")
            for code in ("invalid", "min_value", "max_value")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A link edited by hand (a unit of another commune, `?status=x`) names no option of this page.
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Lựa chọn không có trong danh sách.")
