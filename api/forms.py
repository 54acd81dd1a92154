from django import forms
from django.utils.translation import gettext_lazy as _

from units.models import Province


class ApiClientForm(forms.Form):
    province = forms.ModelChoiceField(queryset=Province.objects.none(), label=_("Tỉnh"), empty_label=None)
    name = forms.CharField(
        max_length=100,
        label=_("Tên hệ thống sẽ dùng mã"),
        help_text=_("Ví dụ: Hệ thống thông tin báo cáo tỉnh Nghệ An. Tối đa 100 ký tự."),
        widget=forms.TextInput(attrs={"size": 60}),
        error_messages={
            "required": _("Vui lòng ghi tên hệ thống sẽ dùng mã."),
            "max_length": _("Tên tối đa %(limit_value)d ký tự (đã nhập %(show_value)d)."),
        },
    )

    def __init__(self, *args, provinces, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
