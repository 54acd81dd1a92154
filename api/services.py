"""Every write of the API app: issuing, revoking and stamping client tokens."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiClient, token_digest
from common.text import clean_text
from units.models import Province
from units.scope import scope_for

# The token is what the client sends: `cdsx_` tells an operator reading a log or a config file what it is.
TOKEN_PREFIX = "cdsx_"  # noqa: S105 - a label, not a secret
# last_used_at is written at most this often per client: a busy client must not cost a write per request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def _ensure_administers(actor, province_id: int) -> None:
    if not scope_for(actor).administers_province(province_id):
        raise PermissionDenied("Chỉ quản trị của tỉnh mới quản lý được khách API của tỉnh.")


@transaction.atomic
def api_client_create(*, province: Province, name: str, actor) -> tuple[ApiClient, str]:
    """A new client of the province and its token, returned once: only its digest is kept."""
    _ensure_administers(actor, province.pk)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        province=province,
        name=clean_text(name),
        token_prefix=token[: len(TOKEN_PREFIX) + 4],
        token_digest=token_digest(token),
        created_by=actor,
    )
    if not client.name:
        raise ValidationError({"name": "Vui lòng ghi tên hệ thống sẽ dùng mã."})
    client.full_clean()
    client.save()
    return client, token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor) -> ApiClient:
    """From now on the token gets 401; revoking twice keeps the first time."""
    _ensure_administers(actor, client.province_id)
    if client.revoked_at is None:
        client.revoked_at, client.revoked_by = timezone.now(), actor
        client.save(update_fields=["revoked_at", "revoked_by"])
    return client


def api_client_mark_used(*, client: ApiClient, now: dt.datetime) -> None:
    """Stamp the client's last request, to the minute: one UPDATE a minute at most, none for the others."""
    if client.last_used_at is not None and now - client.last_used_at < LAST_USED_PRECISION:
        return
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
