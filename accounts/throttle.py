"""Failed sign-ins slow down the client that fails, never the account holder elsewhere.

Counters are allauth's sliding windows in Django's cache (ACCOUNT_RATE_LIMITS), keyed by:
- the client alone ("login_failed", per ip: allauth counts it around every password check);
- the account and the client together ("login_failed_pair", "mfa_failed");
- the account alone ("login_failed_account"), which refuses only clients that have themselves
  failed on that account in the window ("login_failed_seen"), so a person typing the right
  password on their own device is never held back by someone guessing elsewhere.
"""

import hashlib

from allauth.core import ratelimit
from django.http import HttpRequest

from lib.client import client_ip


def _account(login: str) -> str:
    # Keys are hashed by allauth too; the login is already a sealed pseudo-address.
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()


def _pair(login: str, request: HttpRequest) -> str:
    return f"{_account(login)}:{client_ip(request)}"


def password_allowed(request: HttpRequest, login: str) -> bool:
    """Whether this client may try a password for this account now (nothing is counted)."""
    pair = _pair(login, request)
    if not ratelimit.consume(request, action="login_failed_pair", key=pair, dry_run=True):
        return False
    account_busy = not ratelimit.consume(request, action="login_failed_account", key=_account(login), dry_run=True)
    has_failed_here = not ratelimit.consume(request, action="login_failed_seen", key=pair, dry_run=True)
    return not (account_busy and has_failed_here)


def password_failed(request: HttpRequest, login: str) -> None:
    pair = _pair(login, request)
    ratelimit.consume(request, action="login_failed_pair", key=pair)
    ratelimit.consume(request, action="login_failed_seen", key=pair)
    ratelimit.consume(request, action="login_failed_account", key=_account(login))


def _mfa_key(user, request: HttpRequest) -> str:
    return f"mfa:{user.pk}:{client_ip(request)}"


def second_factor_allowed(request: HttpRequest, user) -> bool:
    return ratelimit.consume(request, action="mfa_failed", key=_mfa_key(user, request), dry_run=True)


def second_factor_failed(request: HttpRequest, user) -> None:
    ratelimit.consume(request, action="mfa_failed", key=_mfa_key(user, request))


def reset_allowed(request: HttpRequest, address: str) -> bool:
    """A password reset for this address from this client: counted per (address, client), so a
    stranger asking for someone's reset never stops that person from asking for their own."""
    return ratelimit.consume(request, action="reset_password_pair", key=_pair(address, request))


def reset_mail_allowed(request: HttpRequest, address: str) -> bool:
    """Whether another reset e-mail may go to this address now, whoever asks (counted when allowed).

    Past the limit the request is answered as usual and nothing is sent: the answer tells a
    stranger nothing, and the window is short, because strangers can use it up for the owner.
    """
    return ratelimit.consume(request, action="reset_password_address", key=_account(address))
