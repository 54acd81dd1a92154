from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import IndicatorResult
from plans.models import ReportingPeriod
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from units.models import Membership, ProvinceAdministrator, Role


def test_demo_data_gives_every_commune_its_people_and_two_periods(seeded, capsys):
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert "nghiadan.canbo" in out and "demo12345" in out
    for commune_slug in ["nghiadan", "maiphu", "dinhtien", "tayhieu"]:
        for role in ["canbo", "thamdinh", "lanhdao"]:
            assert get_user_model().objects.filter(username=f"{commune_slug}.{role}").exists()
    assert Membership.objects.filter(role=Role.REVIEWER).count() == 4
    # Each province of the seed plans has an officer who runs it in the app.
    assert "quantri.nghean" in out
    officer = ProvinceAdministrator.objects.get(user__username="quantri.nghean")
    assert officer.province.name == "Nghệ An"
    assert ProvinceAdministrator.objects.count() == 3
    assert ReportingPeriod.objects.count() == 8
    assert ReportingPeriod.objects.filter(locked_at__isnull=False).count() == 4
    statuses = set(IndicatorResult.objects.values_list("status", flat=True)) | set(
        TaskUpdate.objects.values_list("status", flat=True)
    )
    assert statuses == {s.value for s in WorkflowStatus}


def test_demo_data_can_be_loaded_twice(seeded):
    call_command("load_demo_data")
    counts = (IndicatorResult.objects.count(), TaskUpdate.objects.count())
    call_command("load_demo_data")
    assert (IndicatorResult.objects.count(), TaskUpdate.objects.count()) == counts
