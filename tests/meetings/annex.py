"""Reads the draft-schedule annex of the ATT Secretariat's real letters in ../shared/seeds/."""

import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
LETTERS = {
    "att-csp10-wg": "att-csp10-working-groups-invitation-2024-01-22.txt",
    "att-csp12-wg": "att-csp12-working-groups-invitation-2026-01-16.txt",
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _plain(cell: str) -> str:
    text = re.sub(r"<[^>]+>", "", cell).replace("**", "").replace("\\*", "*")
    return re.sub(r"\s+", " ", text).strip()


def letter_annex(slug: str) -> dict[str, list[str]]:
    """{'header': [weekdays], '10:00 – 13:00': [cells], ..., 'SIDE EVENTS': [cells]}."""
    path = SEEDS / LETTERS[slug]
    if not path.exists():
        pytest.skip(f"the ATT letters are not here: {SEEDS} is absent")
    annex: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [_plain(cell) for cell in line.split("\t")]
        if len(cells) < 3:
            continue
        if cells[1] in WEEKDAYS:
            annex["header"] = [cell for cell in cells if cell]
        elif cells[0] and (cells[0][0].isdigit() or cells[0] == "SIDE EVENTS"):
            annex[cells[0]] = cells[1 : len(annex["header"]) + 1]
    return annex
