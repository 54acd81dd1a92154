from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from common.text import clean_text
from common.uploads import MAX_UPLOAD_BYTES
from evidence.filetypes import check_upload
from evidence.models import Evidence
from plans.entries import ensure_can_edit
from units.scope import item_unit_ids, scope_for

_OWNER_FIELD = {"IndicatorResult": "result", "TaskUpdate": "update", "TaskContribution": "contribution"}


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
    field = _OWNER_FIELD[type(owner).__name__]
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


def removal_refusal(*, evidence: Evidence, actor) -> str:
    """Why `actor` may not remove this file now, in words; "" when they may.

    The rules of editing the entry it proves: the lead unit's clerks (a coordinating unit's for its
    contribution), while the entry is not approved and its period is not locked.
    """
    owner = evidence.owner
    if evidence.contribution_id:
        if owner.unit_id not in scope_for(actor).editor_unit_ids and not actor.is_superuser:
            return "Chỉ cán bộ của đơn vị phối hợp mới được xóa tài liệu này."
        return f"Kỳ báo cáo {owner.period.code} đã khóa." if owner.period.is_locked else ""
    item = owner.indicator if evidence.result_id else owner.task
    try:
        ensure_can_edit(entry=owner, actor=actor, lead_unit_ids=item_unit_ids(item, "lead"))
    except (PermissionDenied, ValidationError) as refusal:
        return " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
    return ""


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    """Remove a file before the entry it proves is approved; the entry's history keeps the removal.

    The entry's row is locked first, so an approval arriving at the same moment waits and then sees the file
    gone (or this removal sees the entry approved and refuses). The file leaves storage only once the
    transaction has committed: a rolled-back removal still has its file.
    """
    owner = type(evidence.owner).objects.select_for_update().get(pk=evidence.owner.pk)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    setattr(evidence, _OWNER_FIELD[type(owner).__name__], owner)
    if reason := removal_refusal(evidence=evidence, actor=actor):
        raise PermissionDenied(reason)
    storage, stored_name, name = evidence.file.storage, evidence.file.name, evidence.original_name
    evidence.delete()
    # A history row of the entry, unchanged but for the reason: the removal shows where its history is read.
    type(owner).history.bulk_history_create(
        [owner], update=True, default_user=actor, default_change_reason=f"Xóa tài liệu: {name}"
    )
    transaction.on_commit(lambda: storage.delete(stored_name))
