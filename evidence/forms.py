"""The evidence field of every entry form: several files, checked by count and size here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.uploads import MAX_UPLOAD_BYTES
from evidence.filetypes import ALLOWED


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
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError(_("Tệp «%(name)s» vượt quá 10 MB.") % {"name": upload.name})
        return files
