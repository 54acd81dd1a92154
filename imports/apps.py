from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Nhập kế hoạch từ Excel")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from imports.first_password import note_password_at_login

        # The one moment a flag is looked up: the pages after it cost no query (see first_password).
        user_logged_in.connect(note_password_at_login, dispatch_uid="imports.first_password")
