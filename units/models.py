from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField, NFCTextField


class Province(models.Model):
    name = NFCCharField(_("tên tỉnh"), max_length=100, unique=True)
    code = models.CharField(_("mã"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("tỉnh")
        verbose_name_plural = _("tỉnh")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"tỉnh {self.name}"


class CommuneKind(models.TextChoices):
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")


class Commune(models.Model):
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    name = NFCCharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=CommuneKind.choices, default=CommuneKind.XA)
    code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True)
    # Raised after every change to the commune's data; cached page bodies are keyed by it (pagecache.cache).
    data_version = models.PositiveBigIntegerField(_("phiên bản dữ liệu"), default=0, editable=False)

    class Meta:
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "name"], name="commune_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} {self.name}"

    @property
    def kind_label(self) -> str:
        """`xã`, `phường` or `đặc khu`, as running text names the commune's own kind."""
        return str(self.get_kind_display()).lower()

    @property
    def committee_name(self) -> str:
        """The issuing body as a document header prints it: `ỦY BAN NHÂN DÂN XÃ NGHĨA ĐÀN`."""
        return f"Ủy ban nhân dân {self.get_kind_display()} {self.name}".upper()


class UnitKind(models.TextChoices):
    OFFICE = "office", _("Phòng, ban, trung tâm thuộc UBND")
    POLICE_MILITARY = "police_military", _("Công an, quân sự")
    MASS_ORG = "mass_org", _("Mặt trận, đoàn thể")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp (trường, trạm y tế...)")
    VILLAGE = "village", _("Thôn, xóm, khối, tổ công nghệ số")
    COLLECTIVE = "collective", _("Nhóm đơn vị (ghi chung)")
    PARTY = "party", _("Cơ quan Đảng, HĐND")
    EXTERNAL = "external", _("Cơ quan, doanh nghiệp bên ngoài")


class UnitQuerySet(models.QuerySet):
    def for_commune(self, commune):
        return self.filter(commune=commune)

    def active(self):
        return self.filter(active=True)


class Unit(models.Model):
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="units", verbose_name=_("xã/phường")
    )
    name = NFCCharField(_("tên đơn vị"), max_length=255)
    short_name = NFCCharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices, default=UnitKind.OFFICE)
    aliases = NFCTextField(
        _("các cách viết khác"),
        blank=True,
        help_text=_("Mỗi dòng một cách viết mà văn bản dùng cho đơn vị này."),
    )
    match_key = models.CharField(_("khóa so khớp"), max_length=255, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "match_key"], name="unit_unique_name_per_commune"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def spellings(self) -> list[str]:
        return [s for s in [self.name, self.short_name, *self.alias_list] if s]


class Role(models.TextChoices):
    STAFF = "staff", _("Cán bộ đơn vị")
    HEAD = "head", _("Lãnh đạo đơn vị")
    REVIEWER = "reviewer", _("Thẩm định (Phòng Văn hóa - Xã hội)")
    LEADER = "leader", _("Lãnh đạo UBND xã")


class Membership(models.Model):
    """A user's place in a commune: which unit they belong to and what they may do there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("người dùng"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("thành viên đơn vị")
        verbose_name_plural = _("thành viên đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique_user_unit")]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class ProvinceViewer(models.Model):
    """A provincial Department of Science and Technology officer who reads every commune of a province."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="province_views",
        verbose_name=_("người dùng"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="viewers", verbose_name=_("tỉnh")
    )

    class Meta:
        verbose_name = _("cán bộ Sở KH&CN")
        verbose_name_plural = _("cán bộ Sở KH&CN")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="province_viewer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.province}"


class ProvinceAdministrator(models.Model):
    """A province officer (quản trị tỉnh, usually of Sở KH&CN) who runs the app for a province: its communes,
    their units and people, and the reporting calendar. Reading the communes' entries is ProvinceViewer's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="province_administrations",
        verbose_name=_("người dùng"),
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="administrators", verbose_name=_("tỉnh")
    )

    class Meta:
        verbose_name = _("quản trị tỉnh")
        verbose_name_plural = _("quản trị tỉnh")
        constraints = [
            models.UniqueConstraint(fields=["user", "province"], name="province_administrator_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.province}"


class PasswordChangeRequired(models.Model):
    """A person whose password was chosen for them (an import's one-time password or invitation): their first
    login must set one of their own.

    The flag holds for the password it was set with only: `password_fingerprint` is a keyed hash of the stored
    password hash, so any later change or reset (the app's pages, the invitation link, the admin site, a
    shell) ends it without each of those ways knowing about it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="password_change_required",
        verbose_name=_("người dùng"),
    )
    password_fingerprint = models.CharField(_("dấu vân tay mật khẩu"), max_length=64)
    # The password is a one-time password handed to the person: the first login spends it.
    one_time = models.BooleanField(_("mật khẩu dùng một lần"), default=False)
    created_at = models.DateTimeField(_("đặt lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("cần đổi mật khẩu lần đầu")
        verbose_name_plural = _("cần đổi mật khẩu lần đầu")

    def __str__(self) -> str:
        return str(self.user)
