"""Typed loader of the environment variables that configure convocation.

Every setting has a safe default, so that a fresh checkout runs with nothing set.
Variables carry the ``CONVOCATION_`` prefix, except ``DATABASE_URL``, whose name is a
convention that hosting platforms and tools share. ``docs/configuration.md`` lists them all.
"""

import os
from pathlib import Path

PREFIX = "CONVOCATION_"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class ConfigurationError(ValueError):
    """An environment variable holds a value that cannot be read as its kind."""


def env_str(name: str, default: str) -> str:
    return os.environ.get(PREFIX + name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(f"{PREFIX}{name}={raw!r} is neither true nor false")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(PREFIX + name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigurationError(f"{PREFIX}{name}={raw!r} is not a whole number") from error


def database_url(base_dir: Path) -> str:
    """``DATABASE_URL``, or an SQLite file in the data folder when it is unset."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    base_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{base_dir / 'convocation.sqlite3'}"
