"""Rendered meeting pages and exports, kept in the cache under the meeting's fingerprint.

The key holds the fingerprint, which one query reads from the database on every request,
so a change to any session, body, side event, cycle, treaty or the meeting itself is seen
on the next request by every web process, whatever cache backend is set. Old entries are
never read again and expire.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str


def rendered(key: str, render: Callable[[], Rendered]) -> Rendered:
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found)
    return found
