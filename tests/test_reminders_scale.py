"""The daily reminders read every commune at once: their query count does not grow with the communes, and each
commune's people are told exactly what one commune alone would tell them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts.digest import compose
from alerts.selectors import reminder_recipients
from indicators.services import indicator_result_return, indicator_result_save
from plans.models import ReportingPeriod, SectionKind
from plans.periods import parse_period_code
from reports import services as report_services
from tasks.services import task_update_save
from tests import builders
from units.models import Role

DAY = dt.date(2026, 12, 26)  # five days before 2026-Q4's due date
SIGNED_ON = dt.date(2026, 12, 31)


def busy_commune(name: str, *, provincial: bool = False) -> None:
    """A commune with something for each kind of person: a returned result and a task due soon for the clerk,
    a task to coordinate for the colleague, the review queue for the reviewer, a report for the leader.
    `provincial`: it reports on the province-wide period instead of one of its own."""
    commune = builders.commune(name, "Nghệ An")
    lead = builders.unit(commune, "Trung tâm Phục vụ hành chính công", short_name="Trung tâm PVHCC")
    economy = builders.unit(commune, "Phòng Kinh tế")
    culture = builders.unit(commune, "Phòng Văn hóa - Xã hội", short_name="Phòng VH-XH")
    people = {
        "clerk": builders.member(lead, Role.STAFF, f"clerk-{commune.pk}"),
        "colleague": builders.member(economy, Role.STAFF, f"colleague-{commune.pk}"),
        "reviewer": builders.member(culture, Role.REVIEWER, f"reviewer-{commune.pk}"),
        "leader": builders.member(lead, Role.LEADER, f"leader-{commune.pk}"),
    }
    for person in people.values():
        person.email = f"{person.username}@example.vn"
        person.save(update_fields=["email"])
    plan = builders.plan(commune)
    indicator = builders.indicator(builders.section(plan), target="≥80%", lead="Trung tâm PVHCC")
    tasks = builders.section(plan, SectionKind.TASKS, title="Công tác lãnh đạo, chỉ đạo")
    due_soon = builders.task(tasks, lead="Trung tâm PVHCC", deadline="Quý 4/2026")
    builders.task(
        tasks,
        description="Phối hợp",
        lead="Phòng VH-XH",
        deadline="Quý 4/2026",
        coordinating_text="Phòng Kinh tế",
    )
    if provincial:
        spec = parse_period_code("2026-Q4")
        period = ReportingPeriod.objects.get_or_create(
            province=commune.province,
            commune=None,
            kind=spec.kind,
            year=spec.year,
            number=spec.number,
            defaults={"start": spec.start, "end": spec.end, "due_date": spec.end},
        )[0]
    else:
        period = builders.period(commune, "2026-Q4")
    result = indicator_result_save(
        indicator=indicator, period=period, actor=people["clerk"], value=Decimal(70), submit=True
    )
    indicator_result_return(result=result, actor=people["reviewer"], comment="Số liệu chưa khớp")
    task_update_save(
        task=due_soon,
        period=period,
        actor=people["clerk"],
        submit=True,
        progress="in_progress",
        percent_complete=50,
        results="Đã số hóa một nửa",
    )
    report = report_services.report_create(
        plan=plan, period=period, actor=people["reviewer"], today=SIGNED_ON
    )
    report_services.report_update(
        report=report, actor=people["reviewer"], number="5", signer_name="Nguyễn Văn An"
    )
    report_services.report_submit(report=report, actor=people["reviewer"], today=SIGNED_ON)


def counted(day: dt.date):
    with CaptureQueriesContext(connection) as queries:
        recipients = reminder_recipients(day)
    return len(queries), recipients


def told(recipients) -> dict[str, list[tuple[str, int]]]:
    """For each role, what each person was told: their email's subject (the commune's name taken out) and
    the length of its body, one entry per commune."""
    found: dict[str, list[tuple[str, int]]] = {}
    for recipient in recipients:
        role = recipient.user.username.rsplit("-", 1)[0]
        [commune] = recipient.alerts.communes  # each person is told of their own commune only
        digest = compose(recipient.user, recipient.alerts, base_url="https://cds.example")
        found.setdefault(role, []).append(
            (digest.subject.replace(commune, "…"), len(digest.body.replace(commune, "…").splitlines()))
        )
    return found


def test_reminders_cost_the_same_queries_for_one_commune_and_for_five(db):
    busy_commune("Nghĩa Đàn")
    one, alone = counted(DAY)
    assert sorted(told(alone)) == ["clerk", "colleague", "leader", "reviewer"]

    for name in ("Nghĩa Hưng", "Nghĩa Lộc", "Nghĩa Thịnh"):
        busy_commune(name)
    busy_commune("Nghĩa Mai", provincial=True)
    five, everyone = counted(DAY)

    print(f"\nreminder_recipients: {one} queries for 1 commune, {five} for 5")
    assert five == one, f"{one} queries for 1 commune, {five} for 5: a query per commune must be justified"
    assert {role: said * 5 for role, said in told(alone).items()} == told(everyone)


@pytest.mark.parametrize("provincial", [False, True])
def test_a_commune_without_an_open_period_is_told_nothing(db, provincial):
    busy_commune("Nghĩa Đàn", provincial=provincial)
    ReportingPeriod.objects.update(locked_at=dt.datetime(2027, 1, 10, tzinfo=dt.UTC))
    # Only the report waiting for the leader is left to tell: it does not belong to a period's work.
    assert [r.user.username.rsplit("-", 1)[0] for r in reminder_recipients(DAY)] == ["leader"]
