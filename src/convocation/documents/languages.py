"""The names of the languages a treaty may have as official, for pages and emails."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NAMES = {
    "ar": _("Arabic"),
    "zh": _("Chinese"),
    "en": _("English"),
    "fr": _("French"),
    "ru": _("Russian"),
    "es": _("Spanish"),
    "pt": _("Portuguese"),
    "de": _("German"),
}


def language_name(code: str) -> str | Promise:
    return NAMES.get(code, code)
