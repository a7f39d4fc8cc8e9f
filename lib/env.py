"""Typed readers for settings that come from the environment.

Each helper raises ImproperlyConfigured on a bad value so a typo in a deployment
stops Cerchio at start-up instead of silently running with a default.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from error


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str | None:
    """Read a secret from NAME, or from the file named by NAME_FILE (Docker/systemd secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from error
    return os.environ.get(name) or None


def env_secret_list(name: str) -> list[str]:
    """A comma-separated list of secrets (keys, newest first), from NAME or NAME_FILE."""
    return [item.strip() for item in (env_secret(name) or "").split(",") if item.strip()]


# Words of the placeholders in .env.example and the docs: a key that holds one was copied, not made.
_PLACEHOLDER_WORDS = ("change-me", "changeme", "replace-with", "another-long-random", "example", "placeholder")


def looks_like_placeholder(value: str) -> bool:
    lowered = value.lower()
    return any(word in lowered for word in _PLACEHOLDER_WORDS)


def is_fernet_key(value: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(value.encode())
    except (ValueError, TypeError):
        return False
    return True


def generated_secret_key(data_dir: Path, *, name: str = "secret_key", fernet: bool = False) -> str:
    """A development secret, generated once into the data folder with mode 0600."""
    key_file = data_dir / name
    if key_file.exists():
        return key_file.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    if fernet:
        from cryptography.fernet import Fernet

        key = Fernet.generate_key().decode()
    else:
        from django.core.management.utils import get_random_secret_key

        key = get_random_secret_key()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
