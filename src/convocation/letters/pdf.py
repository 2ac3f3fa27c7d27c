"""The letter's HTML laid out as a PDF by WeasyPrint: A4, fonts embedded, title and language.

Loading the machine's fonts (Fontconfig) costs more than laying out a letter, so one font
configuration serves every PDF of the process. Pango's font map is not safe to share between
threads, hence the lock: a process lays out one PDF at a time.
"""

import functools
import threading

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

_lock = threading.Lock()


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


def html_as_pdf(html: str) -> bytes:
    """A tagged PDF of a whole HTML document; its <title> and lang become the PDF's metadata."""
    with _lock:
        return HTML(string=html).write_pdf(font_config=_font_config(), pdf_tags=True)
