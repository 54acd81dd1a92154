from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.forms import LimitedTextField, VietnameseDateField
from reports.models import Report
from reports.services import EDITABLE_FIELDS, SIGNING_FIELDS

SIGNERS = {
    # The decree's two ways to sign for the committee: the chairman on its behalf, or a deputy for him.
    "TM. ỦY BAN NHÂN DÂN": "CHỦ TỊCH",
    "KT. CHỦ TỊCH": "PHÓ CHỦ TỊCH",
}


# A narrative section is at most a few printed pages (20,000 characters is about ten); a 1 MB one took the
# PDF 16.9 s inside the approval's transaction. The subject is one sentence, the recipients one per line.
NARRATIVE_LIMIT = 20_000
SUBJECT_LIMIT = 500
RECIPIENTS_LIMIT = 2_000
CORRECTION_LIMIT = 1_000
RETURN_LIMIT = 2_000
SHORT_FIELD_ERRORS = {
    # The short fields keep the model's max_length; the message says it in plain Vietnamese.
    name: {"max_length": _("Tối đa %(limit_value)d ký tự (đã nhập %(show_value)d).")}
    for name in ("number", "place", "signer_title", "signer_name")
}


def _limited(name: str, limit: int, rows: int, *, required: bool = False) -> LimitedTextField:
    verbose_name = Report._meta.get_field(name).verbose_name
    return LimitedTextField(
        limit=limit,
        rows=rows,
        required=required,
        label=capfirst(verbose_name),
        error_messages={"required": _("Vui lòng ghi %(what)s.") % {"what": verbose_name}},
    )


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


class SignerMixin:
    """The authority and the title go together (NĐ 30): `KT. CHỦ TỊCH` is signed by a `PHÓ CHỦ TỊCH`."""

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


class ReportForm(SignerMixin, forms.ModelForm):
    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=[(key, key) for key in SIGNERS])
    report_date = VietnameseDateField(label=_("Ngày báo cáo"))
    subject = _limited("subject", SUBJECT_LIMIT, rows=2, required=True)
    overall_assessment = _limited("overall_assessment", NARRATIVE_LIMIT, rows=6)
    results_by_area = _limited("results_by_area", NARRATIVE_LIMIT, rows=6)
    shortcomings = _limited("shortcomings", NARRATIVE_LIMIT, rows=6)
    difficulties = _limited("difficulties", NARRATIVE_LIMIT, rows=6)
    proposals = _limited("proposals", NARRATIVE_LIMIT, rows=6)
    next_tasks = _limited("next_tasks", NARRATIVE_LIMIT, rows=6)
    recipients = _limited("recipients", RECIPIENTS_LIMIT, rows=6)

    class Meta:
        model = Report
        fields = list(EDITABLE_FIELDS)
        error_messages = SHORT_FIELD_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's help text ("Mỗi dòng một nơi nhận.") comes before the limit.
        self.fields["recipients"].help_text = f"{Report._meta.get_field('recipients').help_text} " + str(
            self.fields["recipients"].help_text
        )


class ApprovalForm(SignerMixin, forms.ModelForm):
    """The leader approves what was submitted, correcting the number, date or signer if need be."""

    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=[(key, key) for key in SIGNERS])
    report_date = VietnameseDateField(label=_("Ngày báo cáo"))

    class Meta:
        model = Report
        fields = list(SIGNING_FIELDS)
        error_messages = SHORT_FIELD_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("number", "signer_title", "signer_name"):
            field = self.fields[name]
            field.required = True
            field.error_messages["required"] = _("Vui lòng ghi %(what)s.") % {
                "what": Report._meta.get_field(name).verbose_name
            }


class ReturnForm(forms.Form):
    comment = LimitedTextField(
        limit=RETURN_LIMIT,
        rows=3,
        required=True,
        label=_("Ý kiến khi trả lại"),
        error_messages={"required": _("Vui lòng ghi ý kiến khi trả lại báo cáo.")},
    )


class CorrectionForm(forms.Form):
    reason = LimitedTextField(
        limit=CORRECTION_LIMIT,
        required=True,
        label=_("Lý do đính chính"),
        error_messages={"required": _("Vui lòng ghi lý do đính chính.")},
    )
