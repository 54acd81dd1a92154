"""One log line per login attempt on the "cds.auth" logger: who, from where, and whether it worked.

Axes records attempts in its tables and masks usernames in its own log; this is the line an operator greps.
The password never appears: Django's user_login_failed already hands over the credentials cleansed, and only
the username is read from them.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("cds.auth")


def _address(request) -> str | None:
    return get_client_ip_address(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="cds_auth_logged_in")
def log_login(sender, request, user, **kwargs) -> None:
    logger.info("login succeeded username=%r ip=%s", user.get_username(), _address(request))


@receiver(user_login_failed, dispatch_uid="cds_auth_login_failed")
def log_login_failure(sender, credentials, request=None, **kwargs) -> None:
    logger.warning("login failed username=%r ip=%s", credentials.get("username"), _address(request))


@receiver(user_locked_out, dispatch_uid="cds_auth_locked_out")
def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning("login locked out username=%r ip=%s", username, ip_address)
