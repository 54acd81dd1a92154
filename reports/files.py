"""The files rows name under MEDIA_ROOT: report files frozen at approval, and evidence files.

A file is written before the row that names it, inside that row's transaction. A failure the code sees
deletes what it wrote (`report_approve`, `evidence_attach_all`); a worker killed in between leaves a file that
no row names. `orphan_files_purge`, run daily, removes those once they are old enough that no transaction
still writing one can commit. It goes through the default storage only, so it works with any backend.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from django.core.files.storage import Storage, default_storage
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from evidence.models import Evidence
from reports.models import Report

PREFIXES = ("reports/", "evidence/")


def discard(fields: Iterable[FieldFile]) -> None:
    """Delete files just written whose row will not be saved."""
    for field in fields:
        field.storage.delete(field.name)


def _names_under(storage: Storage, prefix: str) -> Iterator[str]:
    try:
        directories, names = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in names:
        yield f"{prefix}{name}"
    for directory in directories:
        yield from _names_under(storage, f"{prefix}{directory}/")


def _referenced_names() -> set[str]:
    names: set[str] = set()
    for pdf_name, xlsx_name in Report.objects.values_list("pdf_file", "xlsx_file").iterator():
        names.update((pdf_name, xlsx_name))
    names.update(Evidence.objects.values_list("file", flat=True).iterator())
    names.discard("")
    return names


def orphan_files(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> list[str]:
    """Stored report and evidence files no row names, last written before `older_than` ago."""
    cutoff = (now or timezone.now()) - older_than
    # Read before listing: a file whose row commits in between is younger than the cutoff, hence kept.
    referenced = _referenced_names()
    return sorted(
        name
        for prefix in PREFIXES
        for name in _names_under(default_storage, prefix)
        if name not in referenced and default_storage.get_modified_time(name) < cutoff
    )


def orphan_files_purge(*, older_than: dt.timedelta, dry_run: bool = False) -> list[str]:
    """Delete the orphan files (or only list them, for a dry run); returns their names."""
    orphans = orphan_files(older_than=older_than)
    if not dry_run:
        for name in orphans:
            default_storage.delete(name)
    return orphans
