from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from units.models import CommuneKind, Role, Unit, UnitKind

# A pasted list is one commune's units: a few dozen lines, a few hundred at most.
MAX_PASTED_LINES = 500
NAME_LIMIT = Unit._meta.get_field("name").max_length


class CommuneForm(forms.Form):
    province = forms.ModelChoiceField(queryset=None, label=_("Tỉnh"))
    kind = forms.ChoiceField(choices=CommuneKind.choices, label=_("Loại"))
    name = forms.CharField(
        max_length=100,
        label=_("Tên xã/phường"),
        help_text=_("Ví dụ: Nghĩa Đàn"),
        error_messages={"max_length": _("Tên tối đa %(limit_value)d ký tự (đã nhập %(show_value)d).")},
    )
    code = forms.CharField(
        max_length=10,
        error_messages={"max_length": _("Mã tối đa %(limit_value)d chữ số (đã nhập %(show_value)d).")},
        required=False,
        label=_("Mã đơn vị hành chính"),
        help_text=_("Mã số theo danh mục đơn vị hành chính, ví dụ 17011; có thể để trống."),
        validators=[RegexValidator(r"^[0-9]*$", _("Mã đơn vị hành chính chỉ gồm chữ số, ví dụ 17011."))],
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        only = list(provinces[:2])
        if len(only) == 1:
            self.fields["province"].initial = only[0].pk
            self.fields["province"].widget = forms.HiddenInput()


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "active"]


class PasteForm(forms.Form):
    names = forms.CharField(
        label=_("Tên các đơn vị, mỗi dòng một tên"),
        max_length=MAX_PASTED_LINES * NAME_LIMIT,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
    )

    def clean_names(self) -> list[str]:
        lines = self.cleaned_data["names"].splitlines()
        if sum(1 for line in lines if line.strip()) > MAX_PASTED_LINES:
            raise forms.ValidationError(f"Mỗi lần dán tối đa {MAX_PASTED_LINES} tên đơn vị.")
        too_long = [number for number, line in enumerate(lines, start=1) if len(line.strip()) > NAME_LIMIT]
        if too_long:
            raise forms.ValidationError(
                f"Tên đơn vị tối đa {NAME_LIMIT} ký tự; dòng {', '.join(map(str, too_long[:10]))} dài hơn."
            )
        return lines


class NewUnitForm(forms.Form):
    """One new unit of a previewed list: the name as pasted, the kind as guessed or changed."""

    name = forms.CharField(max_length=NAME_LIMIT, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=UnitKind.choices, label=_("Loại"))


NewUnitFormSet = forms.formset_factory(
    NewUnitForm,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_PASTED_LINES,
    validate_max=True,
    absolute_max=MAX_PASTED_LINES,
)


class MembershipForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Đơn vị"), empty_label=_("— Chọn đơn vị —"))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.STAFF, label=_("Vai trò"))

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.for_commune(commune).active().order_by("name")


class ActiveForm(forms.Form):
    active = forms.TypedChoiceField(choices=[("1", "mở"), ("0", "khóa")], coerce=lambda value: value == "1")
