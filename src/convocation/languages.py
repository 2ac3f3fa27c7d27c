"""Content kept in several languages: pick the active language's version, or fall back.

A record holds its English text in ``field`` and translations in ``field_fr``, ``field_es``.
Where a translation is missing, the English text is shown (the treaty's records are written
in English first), so a page never shows an empty name.
"""

from django.utils.translation import get_language

TRANSLATED = ("fr", "es")


def active_language() -> str:
    return (get_language() or "en").split("-")[0]


def in_language(record: object, field: str, language: str | None = None) -> str:
    language = language or active_language()
    if language in TRANSLATED:
        translated = getattr(record, f"{field}_{language}", "")
        if translated:
            return translated
    return getattr(record, field)
