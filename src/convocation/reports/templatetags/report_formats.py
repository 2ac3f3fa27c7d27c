from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """A share as a whole percentage in the active language's format, or nothing."""
    if value is None:
        return "–"
    return f"{number_format(round(value * 100), 0)} %".replace(" %", "\u202f%")
