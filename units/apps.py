from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị")

    def ready(self) -> None:
        from units import login_log  # noqa: F401 - connects the login log receivers
