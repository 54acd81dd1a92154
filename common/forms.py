"""Form fields every screen shares: numbers and dates typed the Vietnamese way, text with a stated limit."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import parse_decimal


class VietnameseDecimalField(forms.CharField):
    """Accepts `81,5`, `81.5` and `1.234.567`; when it is not a number, the message says how to type it.

    `min_value`, `max_value` and `decimal_places` keep a number within what its column stores, so a figure
    the database would refuse is explained on the form instead.
    """

    default_error_messages = {
        "invalid": _("Giá trị phải là một số (ví dụ: 81,5)."),
        "out_of_range": _("Giá trị phải từ %(min)s đến %(max)s."),
        "decimal_places": _("Chỉ ghi tối đa %(places)s chữ số sau dấu phẩy."),
    }

    def __init__(
        self,
        *,
        whole: bool = False,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        decimal_places: int | None = None,
        **kwargs,
    ):
        self.whole = whole
        self.min_value, self.max_value, self.decimal_places = min_value, max_value, decimal_places
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
        self._check_bounds(number)
        if self.whole:
            if number != number.to_integral_value():
                raise forms.ValidationError(_("Phải là số nguyên."), code="whole")
            return int(number)
        return number

    def _check_bounds(self, number: Decimal) -> None:
        low = self.min_value if self.min_value is not None else number
        high = self.max_value if self.max_value is not None else number
        if not low <= number <= high:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"min": vietnamese_number(low), "max": vietnamese_number(high)},
            )
        places = self.decimal_places
        if places is not None and number != number.quantize(Decimal(1).scaleb(-places)):
            raise forms.ValidationError(
                self.error_messages["decimal_places"], code="decimal_places", params={"places": places}
            )


def vietnamese_number(number: Decimal | int) -> str:
    """`1234567.5` → `1.234.567,5`: dots group thousands, a comma before the decimals."""
    whole, _dot, decimals = f"{Decimal(number):f}".partition(".")
    sign, digits = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    return sign + grouped(int(digits)) + ("," + decimals if decimals.strip("0") else "")


# Dates a commune's plan, report or request can carry. A typo like `01/01/0001` is a valid date to Python, but
# it made a task read "Quá hạn" and would print on a report; nothing in this work is older than 2000.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def grouped(number: int) -> str:
    """`20000` → `20.000`, the way Vietnamese writes a count."""
    return f"{number:,}".replace(",", ".")


class VietnameseDateField(forms.DateField):
    """A `dd/mm/yyyy` date between 2000 and 2100, or narrower bounds the form sets (a plan's year)."""

    default_error_messages = {
        "invalid": _("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/03/2026."),
        "out_of_range": _("Ngày phải trong khoảng %(earliest)s – %(latest)s."),
    }

    def __init__(self, *, earliest: dt.date = EARLIEST_DATE, latest: dt.date = LATEST_DATE, **kwargs):
        self.earliest, self.latest = earliest, latest
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        kwargs.setdefault("widget", forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
        super().__init__(**kwargs)

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and not self.earliest <= value <= self.latest:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"earliest": f"{self.earliest:%d/%m/%Y}", "latest": f"{self.latest:%d/%m/%Y}"},
            )


class LimitedTextField(forms.CharField):
    """Free text with a length that fits its use, said in the help text and checked before anything is saved.

    The limit is what the page and the report can carry: a 1 MB narrative took the PDF 16.9 s to render.
    Line breaks count once, as the browser counts them (it sends `\\r\\n`).
    """

    def __init__(self, *, limit: int, rows: int = 3, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        kwargs.setdefault("help_text", _("Tối đa %(limit)s ký tự.") % {"limit": grouped(limit)})
        super().__init__(**kwargs)

    def widget_attrs(self, widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(self.limit)}

    def validate(self, value) -> None:
        super().validate(value)
        length = len(value.replace("\r\n", "\n")) if value else 0
        if length > self.limit:
            raise forms.ValidationError(
                _("Nội dung quá dài: tối đa %(limit)s ký tự, đã nhập %(length)s ký tự."),
                code="max_length",
                params={"limit": grouped(self.limit), "length": grouped(length)},
            )
