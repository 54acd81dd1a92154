"""The review workflow shared by indicator results and task updates.

Both kinds of entry carry the same fields (status, version, reviewer, comment), so the rules live once here:
who may edit, what an approved entry or a locked period refuses, and how a stale save is detected.
"""

import enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from plans.workflow import WorkflowStatus
from units.scope import scope_for


class EditConflict(Exception):
    """Someone saved the entry after the form was opened; the caller shows both versions."""

    def __init__(self, current: models.Model):
        super().__init__("Mục này vừa được người khác thay đổi.")
        self.current = current


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""


def period_lock_text(period) -> str:
    """Who locked the period, when and why, in one sentence for every entry form of the period."""
    who = period.locked_by.get_full_name() or period.locked_by.username if period.locked_by else ""
    text = f"Kỳ báo cáo {period.code} đã khóa lúc {_when(period.locked_at)}"
    text += f" bởi {who}." if who else "."
    return f"{text} Lý do: {period.lock_reason}" if period.lock_reason else text


def locked_reason(entry: models.Model) -> str:
    """Why the entry cannot be edited now, in words for the form; "" when it can."""
    period = entry.period
    if period.is_locked:
        return period_lock_text(period)
    if entry.pk and entry.status == WorkflowStatus.APPROVED:
        reviewer = (
            entry.reviewed_by.get_full_name() or entry.reviewed_by.username if entry.reviewed_by else ""
        )
        return f"Đã được duyệt bởi {reviewer} lúc {_when(entry.reviewed_at)}.".replace("bởi  ", "")
    return ""


def ensure_can_edit(*, entry: models.Model, actor, lead_unit_ids: set[int]) -> None:
    if not scope_for(actor).editor_unit_ids & lead_unit_ids and not actor.is_superuser:
        raise PermissionDenied("Chỉ cán bộ của đơn vị chủ trì mới được nhập mục này.")
    reason = locked_reason(entry)
    if reason:
        raise ValidationError(f"Không thể sửa: {reason}")


class Unchecked(enum.Enum):
    """The version a caller without a form passes (a command, demo data): it writes over what is stored."""

    ANY_VERSION = "any"


ANY_VERSION = Unchecked.ANY_VERSION
NO_VERSION_MESSAGE = "Biểu mẫu thiếu phiên bản của mục nên chưa lưu gì: hãy tải lại trang rồi nhập lại."


def stored_version(entry: models.Model) -> int:
    """The version a form opened on this entry carries: 0 while nothing is saved yet."""
    return entry.version if entry.pk else 0


def ensure_fresh(*, entry: models.Model, expected_version: int | None | Unchecked) -> None:
    """Refuse a save from a form opened on another version than the stored one, a first save included.

    `entry` is read under the parent's lock (see `lock_parent`), so a row another save just created is seen.
    """
    if expected_version is ANY_VERSION:
        return
    if expected_version is None:
        raise ValidationError(NO_VERSION_MESSAGE)
    if stored_version(entry) != expected_version:
        if not entry.pk:
            raise ValidationError("Mục này không còn phiên bản bạn đã mở: hãy tải lại trang rồi nhập lại.")
        raise EditConflict(entry)


def lock_parent(parent: models.Model) -> None:
    """Lock the indicator or task row: two first saves of one period then queue instead of racing."""
    type(parent)._base_manager.select_for_update().filter(pk=parent.pk).values_list("pk").first()


def save_or_conflict(*, entry: models.Model, refetch) -> None:
    """Insert or update; a row of the same period saved meanwhile (the unique constraint) is a conflict.

    The parent's lock makes this rare (a save that did not take the lock, a database without row locks);
    `refetch()` reads the row that won.
    """
    inserting = entry.pk is None
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        current = refetch() if inserting else None
        if current is None:
            raise
        raise EditConflict(current) from None


def mark_saved(*, entry: models.Model, actor, submit: bool) -> None:
    """Set the state after an edit by the lead unit: a draft, or submitted for review."""
    entry.author = actor
    entry.version = (entry.version or 0) + 1 if entry.pk else 1
    if submit:
        entry.status = WorkflowStatus.SUBMITTED
        entry.submitted_at = timezone.now()
    else:
        # Saving again after submitting takes the entry back until it is submitted anew.
        entry.status = WorkflowStatus.DRAFT


# The rows a unit's save leaves in the history; a review leaves approved or returned.
_CONTENT_STATES = [WorkflowStatus.DRAFT, WorkflowStatus.SUBMITTED]
OWN_ENTRY_MESSAGE = "Bạn đã nhập mục này nên không tự duyệt được."


def last_editor_subquery(model: type[models.Model]) -> Subquery:
    """The user of the entry's newest history row written by a save (not a review), for `annotate`."""
    history = model.history.model.objects.filter(id=OuterRef("pk"), status__in=_CONTENT_STATES)
    return Subquery(history.order_by("-history_date", "-history_id").values("history_user_id")[:1])


def last_editor_id(entry: models.Model) -> int | None:
    if hasattr(entry, "last_editor_id"):  # annotated by the queue through `last_editor_subquery`
        return entry.last_editor_id
    history = entry.history.filter(status__in=_CONTENT_STATES).order_by("-history_date", "-history_id")
    return history.values_list("history_user_id", flat=True).first()


def is_own_entry(entry: models.Model, actor) -> bool:
    """Whether the actor wrote the entry or last changed it: then someone else must review it."""
    return actor.pk is not None and actor.pk in {entry.author_id, last_editor_id(entry)}


def _ensure_reviewer(entry: models.Model, actor) -> None:
    if not scope_for(actor).can_review(entry.commune):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được thẩm định.")
    # Separation of duties holds whatever roles the actor also has (a reviewer in the lead unit, a superuser).
    if is_own_entry(entry, actor):
        raise PermissionDenied(OWN_ENTRY_MESSAGE)
    if entry.period.is_locked:
        raise ValidationError(f"Kỳ báo cáo {entry.period.code} đã khóa.")


def approve(*, entry: models.Model, actor) -> None:
    _ensure_reviewer(entry, actor)
    if entry.status != WorkflowStatus.SUBMITTED:
        raise ValidationError("Chỉ duyệt được mục đã gửi.")
    entry.status = WorkflowStatus.APPROVED
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    entry.review_comment = ""
    entry.version += 1


def send_back(*, entry: models.Model, actor, comment: str) -> None:
    _ensure_reviewer(entry, actor)
    if entry.status != WorkflowStatus.SUBMITTED:
        raise ValidationError("Chỉ trả lại được mục đã gửi.")
    if not comment.strip():
        raise ValidationError({"comment": "Vui lòng ghi ý kiến khi trả lại."})
    entry.status = WorkflowStatus.RETURNED
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    entry.review_comment = comment.strip()
    entry.version += 1


def reopen(*, entry: models.Model, actor, reason: str) -> None:
    _ensure_reviewer(entry, actor)
    if entry.status != WorkflowStatus.APPROVED:
        raise ValidationError("Chỉ mở lại được mục đã duyệt.")
    if not reason.strip():
        raise ValidationError({"reason": "Vui lòng ghi lý do mở lại."})
    entry.status = WorkflowStatus.RETURNED
    entry.reviewed_by, entry.reviewed_at = actor, timezone.now()
    entry.review_comment = f"Mở lại: {reason.strip()}"
    entry._change_reason = entry.review_comment  # kept in the history row
    entry.version += 1


def review(*, entry: models.Model, action, **kwargs) -> models.Model:
    """Apply a reviewer's transition (approve, send_back, reopen) and save through full validation."""
    action(entry=entry, **kwargs)
    entry.full_clean()
    entry.save()
    return entry
