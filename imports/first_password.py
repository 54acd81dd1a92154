"""A password chosen for someone (an import's one-time password, an invitation's unknown one) is replaced by
one of their own at the first login.

The flag (`units.PasswordChangeRequired`) holds for the password it was set with only (see its fingerprint),
so any change or reset ends it, whichever page or tool made it. The login looks the flag up once and notes it
in the session (a flag is only ever set on a new account, before any login); the middleware then sends a
flagged session to the page that sets a new password from every other page but logout and static files, and
costs nothing to everyone else.
"""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import salted_hmac

from units.models import PasswordChangeRequired

# Set by the login when the person's password was chosen for them; removed once they have set their own.
SESSION_KEY = "_must_set_password"
_FINGERPRINT_SALT = "imports.first_password"
# 12 characters from 32 that cannot be misread on paper (no 0/o, 1/l): 60 bits.
_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyz"
_OTP_LENGTH = 12
# A random secret of 60 bits (or the 192 of an invitation's unknown password) needs no slow hash: trying
# them all at 2,000 PBKDF2 rounds is 2^71 HMACs. The default million rounds protect passwords people choose,
# and cost 0.4-0.7 s each here: 2,500 people would take 20 minutes (at 2,000 rounds: ~3 s). The first login
# spends the one-time password, and the person's own password gets the full work factor.
_RANDOM_SECRET_ROUNDS = 2_000


def password_fingerprint(user) -> str:
    """A keyed hash of the stored password hash: it changes whenever the password does."""
    return salted_hmac(_FINGERPRINT_SALT, user.password, algorithm="sha256").hexdigest()


def one_time_password() -> str:
    """A password to hand over on paper, in groups of four: `k7pq-9mzx-3rte`."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_OTP_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _OTP_LENGTH, 4))


def random_secret_hash(secret: str) -> str:
    """The stored form of a random secret; see _RANDOM_SECRET_ROUNDS."""
    hasher = get_hasher("default")
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(secret, hasher.salt(), iterations=_RANDOM_SECRET_ROUNDS)
    return make_password(secret)


def password_change_flag_build(*, user, one_time: bool) -> PasswordChangeRequired:
    """The unsaved flag of a new account whose password (already set on `user`) was chosen for them."""
    return PasswordChangeRequired(
        user=user, password_fingerprint=password_fingerprint(user), one_time=one_time
    )


def password_change_pending(user) -> PasswordChangeRequired | None:
    """The person's flag while it holds; a flag outlived by a password change is removed."""
    flag = PasswordChangeRequired.objects.filter(user=user).first()
    if flag is None:
        return None
    if flag.password_fingerprint != password_fingerprint(user):
        password_change_clear(user=user)
        return None
    flag.user = user  # the caller's instance: spending the password updates the request's user too
    return flag


def password_change_clear(*, user) -> None:
    PasswordChangeRequired.objects.filter(user=user).delete()


@transaction.atomic
def one_time_password_spend(*, flag: PasswordChangeRequired) -> None:
    """The first login with a one-time password uses it up: it never opens the account again, and the
    session that used it must set a new password."""
    user = flag.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    flag.one_time = False
    flag.password_fingerprint = password_fingerprint(user)
    flag.save(update_fields=["one_time", "password_fingerprint"])


def note_password_at_login(sender, request, user, **kwargs) -> None:
    """On `user_logged_in`: remember in the session whether this person must set a password first."""
    if request is not None and hasattr(request, "session") and password_change_pending(user) is not None:
        request.session[SESSION_KEY] = True


class FirstPasswordMiddleware:
    """Sends a person whose password was chosen for them to the page that sets their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not request.session.get(SESSION_KEY) or user is None or not user.is_authenticated:
            return self.get_response(request)
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return self.get_response(request)
        flag = password_change_pending(user)
        if flag is None:
            del request.session[SESSION_KEY]
            return self.get_response(request)
        if flag.one_time:
            one_time_password_spend(flag=flag)
            update_session_auth_hash(request, user)  # the session stays open on the spent password
        target = reverse("imports:first_password")
        if request.path in (target, reverse("logout")):
            return self.get_response(request)
        return redirect(target)
