"""How a Secretariat writes ordinals and date ranges, in English, French and Spanish."""

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import pgettext
from num2words import num2words

# num2words writes Spanish ordinals in the masculine and with an old accent
# ("décimosegundo"); a Conference is feminine: "Duodécima Conferencia".
SPANISH_FEMININE_ORDINALS = {
    1: "primera", 2: "segunda", 3: "tercera", 4: "cuarta", 5: "quinta", 6: "sexta",
    7: "séptima", 8: "octava", 9: "novena", 10: "décima", 11: "undécima", 12: "duodécima",
    13: "decimotercera", 14: "decimocuarta", 15: "decimoquinta", 16: "decimosexta",
    17: "decimoséptima", 18: "decimoctava", 19: "decimonovena", 20: "vigésima",
    21: "vigésima primera", 22: "vigésima segunda", 23: "vigésima tercera",
    24: "vigésima cuarta", 25: "vigésima quinta", 26: "vigésima sexta",
    27: "vigésima séptima", 28: "vigésima octava", 29: "vigésima novena", 30: "trigésima",
}  # fmt: skip


def ordinal(number: int, language: str) -> str:
    """ "Twelfth", "douzième", "duodécima": the ordinal of a Conference, in words."""
    if language == "es":
        return SPANISH_FEMININE_ORDINALS[number]
    return num2words(number, lang=language, to="ordinal")


def long_date(day: dt.date, language: str) -> str:
    with translation.override(language):
        written = date_format(day, "DATE_FORMAT")
    if language == "fr" and day.day == 1:
        # French writes the first of the month as an ordinal: 1er décembre 2025.
        written = "1er" + written[1:]
    return written


def date_span(first: dt.date, last: dt.date, language: str) -> str:
    """ "from 16 to 19 March 2026", "du 16 au 19 mars 2026", "del 16 al 19 de marzo de 2026"."""
    if first == last:
        with translation.override(language):
            return pgettext("letter", "on %(date)s") % {"date": long_date(first, language)}
    start = date_range(first, last, language).split(" – ")[0]
    if language == "fr" and first.day == 1:
        start = "1er" + start[1:]
    with translation.override(language):
        return pgettext("letter", "from %(start)s to %(end)s") % {
            "start": start,
            "end": long_date(last, language),
        }


def date_range(first: dt.date, last: dt.date, language: str) -> str:
    """16 – 19 March 2026; 28 February – 2 March 2026; 30 December 2026 – 2 January 2027."""
    if first == last:
        return long_date(first, language)
    with translation.override(language):
        if first.year != last.year:
            start = date_format(first, "DATE_FORMAT")
        elif first.month != last.month:
            start = date_format(first, "MONTH_DAY_FORMAT")
        else:
            start = str(first.day)
        return f"{start} – {date_format(last, 'DATE_FORMAT')}"
