"""States shared by everything staff enter and reviewers approve."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATING = "coordinating", _("Phối hợp")
    MONITORING = "monitoring", _("Theo dõi, tổng hợp")


class Pillar(models.TextChoices):
    """The canonical pillars a province compares communes by (DESIGN.md)."""

    LEADERSHIP = "lanh_dao", _("Lãnh đạo, chỉ đạo")
    INSTITUTIONS = "the_che", _("Thể chế số")
    AWARENESS = "nhan_thuc", _("Nhận thức số")
    INFRASTRUCTURE = "ha_tang", _("Hạ tầng số")
    DATA = "du_lieu", _("Dữ liệu số")
    PLATFORMS = "nen_tang", _("Nền tảng số")
    HUMAN_RESOURCES = "nhan_luc", _("Nhân lực số")
    SECURITY = "an_toan", _("An toàn thông tin")
    GOVERNMENT = "chinh_quyen", _("Chính quyền số")
    ECONOMY = "kinh_te", _("Kinh tế số")
    SOCIETY = "xa_hoi", _("Xã hội số")
    OTHER = "khac", _("Khác")
