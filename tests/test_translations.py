"""The interface is complete in French and Spanish, and the catalogues are up to date."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import convocation

PACKAGE = Path(convocation.__file__).parent
LANGUAGES = ["fr", "es"]


def catalogue(language: str, directory: Path = PACKAGE) -> polib.POFile:
    return polib.pofile(str(directory / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_interface_string_is_translated(language):
    untranslated = [e.msgid for e in catalogue(language) if not e.translated()]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    directory = PACKAGE / "locale" / language / "LC_MESSAGES"
    with (directory / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in catalogue(language):
        if entry.msgid_plural:
            for count in (0, 1, 2, 5, 1_000_000):
                assert (
                    translations.ngettext(entry.msgid, entry.msgid_plural, count)
                    == (entry.msgstr_plural[translations.plural(count)])
                )
        elif entry.msgctxt:
            assert translations.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert translations.gettext(entry.msgid) == entry.msgstr


def test_makemessages_finds_no_new_strings(tmp_path):
    assert shutil.which("xgettext"), "GNU gettext is needed: make test installs it"
    copy = tmp_path / "convocation"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "fr", "-l", "es", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "convocation.settings", "PATH": "/usr/bin:/bin"},
    )
    for language in LANGUAGES:
        fresh = {(e.msgctxt, e.msgid) for e in catalogue(language, copy)}
        kept = {(e.msgctxt, e.msgid) for e in catalogue(language)}
        assert fresh - kept == set(), f"new strings for {language}: run make messages"


FRENCH_PAGE = [
    "Projet de calendrier",
    "Centre International de Conférences Genève (CICG), Genève, Suisse",
    "(toutes les heures sont celles de Genève)",
    "mardi 20 février 2024 – vendredi 23 février 2024",
    "MANIFESTATIONS PARALLÈLES",
    "à confirmer",
    "GTAET",
    "Sous-groupe de travail sur l'échange de pratiques nationales de mise en œuvre",
    "États parties et États signataires uniquement",
    "La préinscription n'est pas requise, sauf pour les séances à participation restreinte : "
    "DIEF le 22 février 2024.",
]
SPANISH_PAGE = [
    "Proyecto de calendario",
    "Centre International de Conférences Genève (CICG), Ginebra, Suiza",
    "martes 20 de febrero de 2024 – viernes 23 de febrero de 2024",
    "EVENTOS PARALELOS",
    "por confirmar",
    "Solo Estados Partes y Estados signatarios",
    "Grupo de Trabajo sobre Transparencia y Presentación de Informes",
]


@pytest.mark.parametrize(("language", "expected"), [("fr", FRENCH_PAGE), ("es", SPANISH_PAGE)])
def test_meeting_page_speaks_the_chosen_language(client, demo, language, expected):
    from convocation.treaties.models import Body
    from tests.meetings.html import text

    # An acronym kept in French shows in French; one without a translation falls back.
    Body.objects.filter(slug="wgeti").update(acronym_fr="GTAET")
    client.cookies["django_language"] = language
    html = client.get("/meetings/att-csp10-wg/").content.decode()
    assert f'<html lang="{language}">' in html
    page = text(html)
    for phrase in expected:
        assert phrase in page
    assert "Draft schedule" not in page
    assert "SIDE EVENTS" not in page
