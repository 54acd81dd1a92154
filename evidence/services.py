from collections.abc import Iterable

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


def _checked(upload: UploadedFile) -> tuple[bytes, str]:
    data = read_upload(upload)
    try:
        return data, check_upload(upload.name, data)
    except ValueError as error:
        raise ValidationError(str(error)) from error


@transaction.atomic
def evidence_attach(*, owner, upload: UploadedFile, actor) -> Evidence:
    """Attach a checked file to a result, an update or a contribution; the caller checked the rights."""
    [evidence] = evidence_attach_all(owner=owner, uploads=[upload], actor=actor)
    return evidence


@transaction.atomic
def evidence_attach_all(*, owner, uploads: Iterable[UploadedFile], actor) -> list[Evidence]:
    """Attach several files: each is checked before any is written, so one refused file writes nothing.

    A file is written before its row; if anything fails after that (a row refused, the worker stopped by
    its timeout), the files already written are deleted before the error goes on, since the rolled-back
    transaction will name none of them. Only a killed worker leaves one, for `purge_orphan_files`.
    """
    checked = [(upload, *_checked(upload)) for upload in uploads]
    field = {"IndicatorResult": "result", "TaskUpdate": "update", "TaskContribution": "contribution"}[
        type(owner).__name__
    ]
    written = []
    attached = []
    try:
        for upload, data, content_type in checked:
            evidence = Evidence(
                **{field: owner},
                original_name=clean_text(upload.name)[:255],
                content_type=content_type,
                size=len(data),
                uploaded_by=actor,
            )
            evidence.file.save(upload.name, ContentFile(data), save=False)
            written.append(evidence.file)
            evidence.save()
            attached.append(evidence)
    except BaseException:
        for file in written:
            file.storage.delete(file.name)
        raise
    return attached
