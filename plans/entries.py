"""The review workflow shared by indicator results and task updates.

Both kinds of entry carry the same fields (status, version, reviewer, comment), so the rules live once here:
who may edit, what an approved entry or a locked period refuses, and how a stale save is detected.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
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


def locked_reason(entry: models.Model) -> str:
    """Why the entry cannot be edited now, in words for the form; "" when it can."""
    period = entry.period
    if period.is_locked:
        return f"Kỳ báo cáo {period.code} đã khóa lúc {_when(period.locked_at)}."
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


def ensure_fresh(*, entry: models.Model, expected_version: int | None) -> None:
    if entry.pk and expected_version is not None and entry.version != expected_version:
        raise EditConflict(entry)


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


def _ensure_reviewer(entry: models.Model, actor) -> None:
    if not scope_for(actor).can_review(entry.commune):
        raise PermissionDenied("Chỉ Phòng Văn hóa - Xã hội của xã mới được thẩm định.")
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
