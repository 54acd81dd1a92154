"""Form fields every screen shares: numbers typed the Vietnamese way."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import parse_decimal


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
