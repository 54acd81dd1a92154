"""Two people saving the same entry: the second is shown both texts, never silently replaces the first."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from indicators.models import IndicatorResult
from indicators.services import indicator_result_save
from plans import entries
from plans.workflow import WorkflowStatus
from tasks.models import TaskUpdate
from tasks.services import task_update_save
from tests import builders


def _update_url(world):
    return reverse("tracking:update_edit", args=[world.task.pk, world.period.pk])


def _result_url(world):
    return reverse("tracking:result_edit", args=[world.indicator.pk, world.period.pk])


def _update_data(**overrides):
    data = {"progress": "in_progress", "percent_complete": "60", "results": "", "action": "draft"}
    return {**data, **overrides}


def _sessions(world):
    second_clerk = builders.member(world.lead_unit, username="clerk2")
    first, second = Client(), Client()
    first.force_login(world.clerk)
    second.force_login(second_clerk)
    return first, second


def test_the_form_of_a_never_saved_entry_carries_version_zero(client, world):
    client.force_login(world.clerk)
    for url in (_update_url(world), _result_url(world)):
        assert 'name="version" value="0"' in client.get(url).content.decode()


def test_second_first_save_of_a_task_update_gets_the_conflict_with_both_texts(world):
    first, second = _sessions(world)
    first.get(_update_url(world))
    second.get(_update_url(world))
    assert first.post(_update_url(world), _update_data(results="Bản của A", version="0")).status_code == 302
    response = second.post(_update_url(world), _update_data(results="Bản của B", version="0"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "vừa được người khác lưu" in page and "Bản của A" in page and "Bản của B" in page
    assert TaskUpdate.objects.get().results == "Bản của A"
    # The conflict page carries the stored version: saving again is a deliberate replacement.
    assert 'name="version" value="1"' in page


def test_second_first_save_of_an_indicator_result_gets_the_conflict(world):
    first, second = _sessions(world)
    data = {"action": "draft", "version": "0"}
    assert first.post(_result_url(world), {**data, "value": "85", "note": "Số của A"}).status_code == 302
    response = second.post(_result_url(world), {**data, "value": "40", "note": "Số của B"})
    page = response.content.decode()
    assert "vừa được người khác lưu" in page and "Số của A" in page and "Số của B" in page
    assert IndicatorResult.objects.get().value == Decimal(85)


@pytest.mark.parametrize("which", ["update", "result"])
def test_a_post_without_a_version_is_refused_in_vietnamese_and_saves_nothing(client, world, which):
    client.force_login(world.clerk)
    if which == "update":
        response = client.post(_update_url(world), _update_data(results="Không có phiên bản"))
    else:
        response = client.post(_result_url(world), {"value": "85", "action": "draft"})
    assert response.status_code == 400
    assert "Biểu mẫu thiếu phiên bản của mục nên chưa lưu gì" in response.content.decode()
    assert not TaskUpdate.objects.exists() and not IndicatorResult.objects.exists()


def test_a_post_without_a_version_does_not_overwrite_a_stored_entry(client, world):
    client.force_login(world.clerk)
    client.post(_update_url(world), _update_data(results="Đã lưu", version="0"))
    response = client.post(_update_url(world), _update_data(results="Ghi đè"))
    assert response.status_code == 400
    assert TaskUpdate.objects.get().results == "Đã lưu"


def test_a_stale_version_is_refused_with_both_texts(client, world):
    client.force_login(world.clerk)
    client.post(_update_url(world), _update_data(results="Bản 1", version="0"))
    client.post(_update_url(world), _update_data(results="Bản 2", version="1"))
    response = client.post(_update_url(world), _update_data(results="Bản cũ", version="1"))
    page = response.content.decode()
    assert "vừa được người khác lưu" in page and "Bản 2" in page and "Bản cũ" in page
    assert TaskUpdate.objects.get().results == "Bản 2"


def test_the_service_refuses_a_missing_version_and_a_version_for_a_row_that_is_not_there(world):
    for version in (None, 3):
        with pytest.raises(ValidationError):
            task_update_save(
                task=world.task,
                period=world.period,
                actor=world.clerk,
                progress="in_progress",
                percent_complete=10,
                expected_version=version,
            )
    assert not TaskUpdate.objects.exists()


def test_the_service_turns_a_row_created_meanwhile_into_a_conflict(world):
    task_update_save(
        task=world.task,
        period=world.period,
        actor=world.clerk,
        progress="in_progress",
        percent_complete=10,
        results="Đầu tiên",
        expected_version=0,
    )
    with pytest.raises(entries.EditConflict) as raised:
        task_update_save(
            task=world.task,
            period=world.period,
            actor=world.clerk,
            progress="in_progress",
            percent_complete=90,
            results="Thứ hai",
            expected_version=0,
        )
    assert raised.value.current.results == "Đầu tiên"


# -- twenty first submits at once, each in its own connection (PostgreSQL: SQLite has no row locks) ---------


def _race(save, count: int = 20) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            barrier.wait()
            try:
                save(n)
                outcome = "saved"
            except entries.EditConflict:
                outcome = "conflict"
            with lock:
                outcomes.append(outcome)
        except BaseException as error:  # noqa: BLE001 - every failure is counted and reported
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


needs_row_locks = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent first saves need real row locks: run on PostgreSQL"
)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_first_submits_of_a_task_update_save_one_and_conflict_the_rest(world):
    outcomes, errors = _race(
        lambda n: task_update_save(
            task=world.task,
            period=world.period,
            actor=world.clerk,
            progress="in_progress",
            percent_complete=n,
            results=f"Lần gửi {n}",
            submit=True,
            expected_version=0,
        )
    )
    assert errors == []
    assert sorted(outcomes) == ["conflict"] * 19 + ["saved"]
    update = TaskUpdate.objects.get()
    assert (update.version, update.status) == (1, WorkflowStatus.SUBMITTED)
    assert update.history.count() == 1, "a second write of the row would be a silent overwrite"


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_first_submits_of_an_indicator_result_save_one_and_conflict_the_rest(world):
    outcomes, errors = _race(
        lambda n: indicator_result_save(
            indicator=world.indicator,
            period=world.period,
            actor=world.clerk,
            value=Decimal(n),
            submit=True,
            expected_version=0,
        )
    )
    assert errors == []
    assert sorted(outcomes) == ["conflict"] * 19 + ["saved"]
    result = IndicatorResult.objects.get()
    assert result.version == 1 and result.history.count() == 1
