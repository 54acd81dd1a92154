"""Files no row names: a failure the code sees deletes what it wrote; a killed worker's leftovers go daily."""

import datetime as dt
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from evidence.models import Evidence
from evidence.services import evidence_attach_all
from jobs import tasks
from reports import files, services
from reports.models import Report, ReportStatus
from tasks.services import task_update_save

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TWO_DAYS = 48 * 3600


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored(media) -> set[str]:
    return {path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file()}


def age(media, seconds: int = TWO_DAYS) -> None:
    then = time.time() - seconds
    for name in stored(media):
        os.utime(media / name, (then, then))


def draft(world, monkeypatch) -> Report:
    """A complete draft of 2026-Q4 submitted to the leader, made on a day after the quarter has ended."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2027, 1, 8))
    report = services.report_create(plan=world.plan, period=world.period, actor=world.reviewer)
    report = services.report_update(
        report=report, actor=world.reviewer, number="5/BC-UBND", signer_name="Nguyễn Văn An"
    )
    return services.report_submit(report=report, actor=world.reviewer)


def fail_after_the_files(monkeypatch) -> None:
    """The next row check (the one after both files are written) fails; later ones pass."""
    real = Report.full_clean
    calls = []

    def refused_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("hỏng giữa chừng")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Report, "full_clean", refused_once)


def approved_waiting_for_files(world, monkeypatch) -> Report:
    """The leader approved; the job that makes the files has not run (the test's transaction never commits,
    so nothing is queued)."""
    report = services.report_approve(report=draft(world, monkeypatch), actor=world.leader)
    assert report.status == ReportStatus.RENDERING
    return report


def killed_worker_approval(world, monkeypatch) -> Report:
    """The job dies after writing both files, before the row, and runs no clean-up (SIGKILL does not)."""
    report = approved_waiting_for_files(world, monkeypatch)
    with monkeypatch.context() as patch:
        fail_after_the_files(patch)
        patch.setattr(files, "discard", lambda written: None)
        with pytest.raises(RuntimeError):
            services.report_files_store(report_id=report.pk, actor=world.leader)
    return report


def test_an_approval_failing_after_its_files_are_written_deletes_them(world, media, monkeypatch):
    report = approved_waiting_for_files(world, monkeypatch)
    fail_after_the_files(monkeypatch)
    with pytest.raises(RuntimeError):
        tasks.render_report_files.apply((report.pk, world.leader.pk))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and not report.pdf_file and not report.xlsx_file
    assert report.render_error == services.RENDER_FAILED
    assert stored(media) == set()


def test_evidence_written_before_a_failing_row_is_deleted(world, media, monkeypatch):
    update = task_update_save(
        task=world.task, period=world.period, actor=world.clerk, progress="in_progress", percent_complete=10
    )
    saves = 0
    real_save = Evidence.save

    def second_fails(self, *args, **kwargs):
        nonlocal saves
        saves += 1
        if saves == 2:
            raise RuntimeError("hỏng giữa chừng")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", second_fails)
    uploads = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    with pytest.raises(RuntimeError):
        evidence_attach_all(owner=update, uploads=uploads, actor=world.clerk)
    assert stored(media) == set()


def test_the_daily_command_removes_a_killed_workers_files_and_keeps_every_named_one(
    world, media, monkeypatch, capsys
):
    report = killed_worker_approval(world, monkeypatch)
    orphans = stored(media)
    assert len(orphans) == 2 and all(name.startswith("reports/") for name in orphans)
    orphans.add(default_storage.save("evidence/mo-coi.pdf", ContentFile(PDF)))
    # acks_late: the killed worker's job is delivered again, and this time it stores the files.
    report = services.report_files_store(report_id=report.pk, actor=world.leader)
    update = task_update_save(
        task=world.task, period=world.period, actor=world.clerk, progress="in_progress", percent_complete=10
    )
    [evidence] = evidence_attach_all(
        owner=update, uploads=[SimpleUploadedFile("a.pdf", PDF)], actor=world.clerk
    )
    named = {report.pdf_file.name, report.xlsx_file.name, evidence.file.name}
    age(media)
    # Written a minute ago by a transaction that may still commit: not touched, even if no row names it yet.
    fresh = default_storage.save("evidence/dang-ghi.pdf", ContentFile(PDF))
    capsys.readouterr()

    call_command("purge_orphan_files")

    assert stored(media) == named | {fresh}
    output = capsys.readouterr().out
    assert all(f"Đã xóa {name}" in output for name in orphans)
    assert "Đã xóa 3 tệp" in output


def test_a_dry_run_lists_the_orphans_and_deletes_nothing(world, media, monkeypatch, capsys):
    killed_worker_approval(world, monkeypatch)
    before = stored(media)
    age(media, seconds=3 * 3600)
    capsys.readouterr()

    call_command("purge_orphan_files", "--dry-run", "--older-than-hours", "2")

    assert stored(media) == before
    output = capsys.readouterr().out
    assert all(f"Sẽ xóa {name}" in output for name in before)
    assert "chưa xóa tệp nào" in output
    call_command("purge_orphan_files", "--older-than-hours", "4")
    assert stored(media) == before


def test_the_command_refuses_an_age_that_could_catch_a_file_being_written(db, media):
    with pytest.raises(CommandError, match="ít nhất 1 giờ"):
        call_command("purge_orphan_files", "--older-than-hours", "0")
