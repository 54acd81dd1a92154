"""The papercuts of daily use: removing evidence, whole names, results with their unit, the menu, the
commune's kind, the bell and the plan browser's links."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from common.text import shorten
from evidence.models import Evidence
from evidence.services import evidence_attach
from indicators.models import IndicatorResult
from plans.workflow import WorkflowStatus
from tests import builders
from units.models import CommuneKind

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def result(world, settings, tmp_path) -> IndicatorResult:
    settings.MEDIA_ROOT = tmp_path
    return IndicatorResult.objects.create(
        indicator=world.indicator,
        period=world.period,
        value=Decimal("81.50"),
        status=WorkflowStatus.SUBMITTED,
        author=world.clerk,
        version=1,
    )


@pytest.fixture
def evidence(world, result) -> Evidence:
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")
    return evidence_attach(owner=result, upload=upload, actor=world.clerk)


def _render(text: str, **context) -> str:
    return Template("{% load cds %}" + text).render(Context(context))


# -- removing evidence ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_clerk_removes_evidence_and_history_keeps_it_and_the_file_goes_after_commit(client, world, evidence):
    storage, name = evidence.file.storage, evidence.file.name
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])).content.decode()
    assert reverse("evidence:remove", args=[evidence.pk]) in page
    response = client.post(reverse("evidence:remove", args=[evidence.pk]))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not storage.exists(name)
    reasons = list(IndicatorResult.history.values_list("history_change_reason", flat=True))
    assert "Xóa tài liệu: bien-ban.pdf" in reasons
    page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])).content.decode()
    assert "Xóa tài liệu: bien-ban.pdf" in page


def test_a_rolled_back_removal_keeps_the_file(world, evidence):
    from evidence.services import evidence_remove

    storage, name = evidence.file.storage, evidence.file.name
    with pytest.raises(RuntimeError), transaction.atomic():
        evidence_remove(evidence=evidence, actor=world.clerk)
        raise RuntimeError
    assert storage.exists(name)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_htmx_removal_asks_the_page_to_refresh(client, world, evidence):
    client.force_login(world.clerk)
    response = client.post(reverse("evidence:remove", args=[evidence.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize("state", ["approved", "locked"])
def test_removal_is_refused_once_approved_or_locked(client, world, result, evidence, state):
    if state == "approved":
        IndicatorResult.objects.filter(pk=result.pk).update(status=WorkflowStatus.APPROVED)
    else:
        type(world.period).objects.filter(pk=world.period.pk).update(locked_at=timezone.now())
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])).content.decode()
    assert reverse("evidence:remove", args=[evidence.pk]) not in page
    assert client.post(reverse("evidence:remove", args=[evidence.pk])).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("colleague", 404), ("outsider", 404), ("reviewer", 403)])
def test_removal_by_anyone_else_changes_nothing(client, world, evidence, who, status):
    client.force_login(getattr(world, who))
    assert client.post(reverse("evidence:remove", args=[evidence.pk])).status_code == status
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    if who == "reviewer":
        page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])).content.decode()
        assert reverse("evidence:remove", args=[evidence.pk]) not in page


# -- names never cut mid-word ------------------------------------------------------------------------------


def test_shorten_cuts_at_a_word_with_an_ellipsis():
    assert shorten("Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình", 20) == "Tỷ lệ hồ sơ giải…"
    assert shorten("Ngắn", 20) == "Ngắn"


def test_shortened_keeps_the_whole_name_in_a_tooltip():
    html = _render("{{ name|shortened:20 }}", name="Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình")
    assert html == '<span title="Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình">Tỷ lệ hồ sơ giải…</span>'


def test_my_work_shows_the_whole_name(client, world):
    long_name = "Tỷ lệ " + " ".join(["hồ sơ thủ tục hành chính được số hóa"] * 6)
    type(world.indicator).objects.filter(pk=world.indicator.pk).update(name=long_name)
    client.force_login(world.clerk)
    assert long_name in client.get(reverse("tracking:my_work")).content.decode()


# -- results with their unit ---------------------------------------------------------------------------


def test_with_unit_drops_trailing_zeros_and_adds_the_targets_unit(world):
    percent = world.indicator.targets.get()
    assert _render("{{ v|with_unit:t }}", v=Decimal("81.50"), t=percent) == "81,5%"
    assert _render("{{ v|with_unit:t }}", v=Decimal("95.00"), t=percent) == "95%"
    assert _render("{{ v|with_unit:'hồ sơ' }}", v=Decimal("1234567.00")) == "1.234.567 hồ sơ"
    assert _render("{{ v|with_unit }}", v=Decimal("81.50")) == "81,5"


def test_indicator_page_shows_the_result_with_its_unit(client, world, result):
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:indicator_detail", args=[world.indicator.pk])).content.decode()
    assert "81,5%" in page
    assert "81,50" not in page


# -- the menu, the bell ---------------------------------------------------------------------------------


def _nav(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("tracking:plan_list")).content.decode()
    return page.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize(
    ("who", "reviews"),
    [("clerk", False), ("leader", False), ("province_viewer", False), ("reviewer", True)],
)
def test_review_menu_item_only_for_reviewers(client, world, who, reviews):
    nav = _nav(client, getattr(world, who))
    assert (reverse("tracking:review") in nav) is reviews
    if who == "province_viewer":
        assert reverse("tracking:my_work") not in nav


def test_every_menu_link_answers_its_person(client, world):
    for who in ("clerk", "colleague", "reviewer", "leader", "outsider", "province_viewer"):
        nav = _nav(client, getattr(world, who))
        for href in [part.split('"', 1)[0] for part in nav.split('href="')[1:]]:
            status = client.get(href).status_code
            assert status in (200, 302), f"{who}: menu link {href} answers {status}"


def test_menu_costs_the_same_queries_for_every_person(client, world, django_assert_max_num_queries):
    counts = set()
    for who in ("clerk", "reviewer", "province_viewer"):
        client.force_login(getattr(world, who))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("alerts:list"))
        counts.add(len([q for q in captured.captured_queries if "units_membership" in q["sql"]]))
    assert counts == {1}, "the menu reads the scope once per request"


def test_the_bell_is_an_svg_with_a_label(client, world):
    nav = _nav(client, world.clerk)
    assert "🔔" not in nav
    assert '<svg class="icon"' in nav
    assert 'aria-label="Chuông nhắc việc"' in nav


# -- the commune's kind ------------------------------------------------------------------------------------


def test_a_ward_is_called_a_ward(world):
    world.commune.kind = CommuneKind.PHUONG
    assert world.commune.kind_label == "phường"
    assert str(world.commune) == "phường Nghĩa Đàn"


def test_report_recipients_name_the_wards_council(world):
    from reports.selectors import DEFAULT_RECIPIENTS

    line = DEFAULT_RECIPIENTS[1].format(province="Nghệ An", kind=CommuneKind.PHUONG.label.lower())
    assert line == "Thường trực Đảng ủy, Thường trực HĐND phường (b/c)"


# -- plan browser links ---------------------------------------------------------------------------------


def test_plan_browser_links_only_rows_the_clerk_may_open(client, world):
    others = builders.section(world.plan, world.task.section.kind, title="Việc của đơn vị khác")
    foreign = builders.task(others, lead="Phòng Kinh tế", deadline="Quý 4/2026")
    client.force_login(world.clerk)
    page = client.get(reverse("tracking:plan_detail", args=[world.plan.pk])).content.decode()
    assert reverse("tracking:task_detail", args=[world.task.pk]) in page
    assert reverse("tracking:task_detail", args=[foreign.pk]) not in page
    assert foreign.description in page
    assert "Đơn vị khác thực hiện" in page
    assert client.get(reverse("tracking:task_detail", args=[foreign.pk])).status_code == 404
