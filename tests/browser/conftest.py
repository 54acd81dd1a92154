"""Data and a headless Chromium for the browser journey.

The data is built on `transactional_db` because `live_server` serves it from another thread, which only sees
committed rows; the shared `world` fixture sits on `db` and would stay invisible to the server.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from plans.models import SectionKind
from tests import builders
from units.models import Role

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-for-tests-1"  # what tests.builders.user gives everyone
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@dataclass
class Journey:
    """One commune, a task led by the clerk's unit, an open period and the reviewer who checks it."""

    clerk: object
    reviewer: object
    task: object
    period: object


@pytest.fixture
def journey(transactional_db, settings, tmp_path) -> Journey:
    settings.MEDIA_ROOT = tmp_path / "media"
    commune = builders.commune("Nghĩa Đàn", "Nghệ An")
    lead = builders.unit(commune, "Trung tâm Phục vụ hành chính công", short_name="Trung tâm PVHCC")
    reviewer_unit = builders.unit(commune, "Phòng Văn hóa - Xã hội", short_name="Phòng VH-XH")
    clerk = builders.member(lead, Role.STAFF, "clerk")
    reviewer = builders.member(reviewer_unit, Role.REVIEWER, "reviewer")
    reviewer.first_name = "Trần Thị Hoa"
    reviewer.save(update_fields=["first_name"])
    plan = builders.plan(commune)
    section = builders.section(plan, SectionKind.TASKS, title="Công tác lãnh đạo, chỉ đạo")
    task = builders.task(
        section,
        description="Số hóa hồ sơ hộ tịch lưu trữ tại xã",
        lead="Trung tâm PVHCC",
        deadline="Quý 4/2026",
    )
    return Journey(clerk=clerk, reviewer=reviewer, task=task, period=builders.period(commune, "2026-Q4"))


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); the browser journey needs it")
    from playwright.sync_api import expect, sync_playwright

    # The machine may be busy (two cores, PDF rendering in other tests): wait longer than Playwright's 5 s
    # before calling a missing message a failure.
    expect.set_options(timeout=20_000)

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an asyncio event loop running in this thread, so Django believes it is
        # in async code and raises SynchronousOnlyOperation whenever the test itself (data fixtures, final
        # assertions, the database flush) touches the database. No coroutine shares a connection here, so
        # the guard protects nothing; it is lifted only while this module's browser is open.
        patch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def screenshot():
    """Save the whole page as artifacts/screenshots/<step>.png, the evidence the issue asks to keep."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, step: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{step}.png"), full_page=True)

    return take
