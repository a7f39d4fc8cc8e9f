"""Signed links for followers: no account needed, and nothing usable is stored.

Each token names the follower (and the follow or group) and carries the follower's
secret, so deleting the follower or changing its secret voids every older link.
"""

from django.core import signing

CONFIRM_SALT = "cerchio.following.confirm"
MANAGE_SALT = "cerchio.following.manage"
LEAVE_SALT = "cerchio.following.leave"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # a confirmation link is for this week
LINK_MAX_AGE = 400 * 24 * 60 * 60  # links in reminders work for over a year


def _dumps(payload: dict, salt: str) -> str:
    return signing.dumps(payload, salt=salt, compress=True)


def _loads(token: str, salt: str, max_age: int) -> dict | None:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        return {"expired": True}
    except signing.BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def confirm_token(*, follow_id: int, secret: str) -> str:
    return _dumps({"w": follow_id, "s": secret}, CONFIRM_SALT)


def manage_token(*, follower_id: int, secret: str) -> str:
    return _dumps({"f": follower_id, "s": secret}, MANAGE_SALT)


def leave_token(*, follower_id: int, group_id: int, secret: str) -> str:
    return _dumps({"f": follower_id, "g": group_id, "s": secret}, LEAVE_SALT)


def read_confirm(token: str) -> dict | None:
    return _loads(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def read_manage(token: str) -> dict | None:
    return _loads(token, MANAGE_SALT, LINK_MAX_AGE)


def read_leave(token: str) -> dict | None:
    return _loads(token, LEAVE_SALT, LINK_MAX_AGE)
