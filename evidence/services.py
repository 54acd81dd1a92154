from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from common.text import clean_text
from common.uploads import MAX_UPLOAD_BYTES
from evidence.filetypes import check_upload
from evidence.models import Evidence


def read_upload(upload: UploadedFile) -> bytes:
    """Read at most one byte past the limit, so a huge upload is refused without loading it whole."""
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"Tệp «{upload.name}» vượt quá 10 MB.")
    return upload.read(MAX_UPLOAD_BYTES + 1)


@transaction.atomic
def evidence_attach(*, owner, upload: UploadedFile, actor) -> Evidence:
    """Attach a checked file to a result, an update or a contribution; the caller checked the rights."""
    data = read_upload(upload)
    try:
        content_type = check_upload(upload.name, data)
    except ValueError as error:
        raise ValidationError(str(error)) from error
    field = {"IndicatorResult": "result", "TaskUpdate": "update", "TaskContribution": "contribution"}[
        type(owner).__name__
    ]
    evidence = Evidence(
        **{field: owner},
        original_name=clean_text(upload.name)[:255],
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    evidence.file.save(upload.name, ContentFile(data), save=False)
    evidence.save()
    return evidence
