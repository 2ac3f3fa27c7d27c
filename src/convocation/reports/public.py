"""The figures anyone may read: aggregates only, every small count suppressed.

Built from ``figures.MeetingFigures`` by ``suppression``; nothing here holds a name, an
email or any one person's gender. The public page and its CSV show exactly these tables.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from convocation.reports import suppression
from convocation.reports.figures import ByGender, MeetingFigures, Row
from convocation.reports.suppression import Cell, Table
from convocation.reports.templatetags.report_formats import percent


@dataclass(frozen=True)
class PublicTable:
    title: str
    columns: list[str]  # the parts; the total column comes last
    row_labels: list[str]
    table: Table
    totals_row: bool = True

    @property
    def header(self) -> list[str]:
        return [*self.columns, _("Total")]

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        labelled = list(zip(self.row_labels, self.table.cells[:-1], strict=True))
        if self.totals_row:
            labelled.append((_("Total"), self.table.cells[-1]))
        return labelled


@dataclass(frozen=True)
class Share:
    label: str
    value: float | None

    def __str__(self) -> str:
        return suppression.SMALL if self.value is None else percent(self.value)


@dataclass(frozen=True)
class PublicFigures:
    tables: list[PublicTable]
    shares: list[Share]


def gender_columns() -> list[str]:
    return [_("Women"), _("Men"), _("Another gender or not said")]


def three(counts: ByGender) -> list[int]:
    """Women, men, and the others together: fewer small cells to hide."""
    return [counts.female, counts.male, counts.self_described + counts.not_said]


def _roles(rows: list[Row], measure: str) -> list[list[int]]:
    heads = [row for row in rows if row.key == "head"]
    others = [row for row in rows if row.key != "head"]
    return [
        three(sum((getattr(row, measure) for row in heads), ByGender())),
        three(sum((getattr(row, measure) for row in others), ByGender())),
    ]


def public_figures(figures: MeetingFigures) -> PublicFigures:
    categories = [row for row in figures.by_category if row.registered.total]
    role_labels = [_("Heads of delegation"), _("Other members of delegations")]
    mode_labels = [row.label for row in figures.by_mode]
    tables: list[PublicTable] = []
    for measure, titles in (
        (
            "registered",
            (
                _("Registered, by participant category"),
                _("Registered, by role"),
                _("Registered, in person and online"),
            ),
        ),
        (
            "attended",
            (
                _("Attended, by participant category"),
                _("Attended, by role"),
                _("Attended, in person and online"),
            ),
        ),
    ):
        bodies = [
            [three(getattr(row, measure)) for row in categories],
            _roles(figures.by_role, measure),
            [three(getattr(row, measure)) for row in figures.by_mode],
        ]
        if not categories:
            bodies[0] = [[0, 0, 0]]
        suppressed = suppression.suppress_together(bodies)
        labels = [
            [row.label for row in categories] or [_("All participants")],
            role_labels,
            mode_labels,
        ]
        tables += [
            PublicTable(title, gender_columns(), row_labels, table)
            for title, row_labels, table in zip(titles, labels, suppressed, strict=True)
        ]
    speakers = figures.speakers
    turns_table = suppression.suppress([[*three(speakers.turns), speakers.turns_not_noted]])
    tables.append(
        PublicTable(
            _("Turns at the floor, by the speaker's gender"),
            [*gender_columns(), _("Speaker not noted")],
            [_("Turns")],
            turns_table,
            totals_row=False,
        )
    )
    delegations = figures.delegations
    headed = suppression.suppress(
        [[delegations.headed_by_woman, delegations.with_head - delegations.headed_by_woman]]
    )
    women_only = suppression.suppress(
        [[delegations.women_only, delegations.total - delegations.women_only]]
    )
    tables += [
        PublicTable(
            _("Delegations with a head of delegation"),
            [_("Headed by a woman"), _("Headed by a man, or another gender or not said")],
            [_("Delegations")],
            headed,
            totals_row=False,
        ),
        PublicTable(
            _("Delegations"),
            [_("Of women only"), _("With at least one member who is not a woman")],
            [_("Delegations")],
            women_only,
            totals_row=False,
        ),
    ]
    registered_total = tables[0].table.column_totals
    attended_total = tables[3].table.column_totals
    heads_row = tables[1].table.cells[0]
    shares = [
        Share(
            _("Women among registered participants"),
            suppression.shown_share(registered_total[0], registered_total[-1]),
        ),
        Share(
            _("Women among participants who attended"),
            suppression.shown_share(attended_total[0], attended_total[-1]),
        ),
        Share(
            _("Women among heads of delegation"),
            suppression.shown_share(heads_row[0], heads_row[-1]),
        ),
        Share(
            _("Turns at the floor taken by women (speaker noted)"),
            _noted_share(turns_table.cells[0]),
        ),
        Share(
            _("Delegations headed by a woman"),
            suppression.shown_share(headed.cells[0][0], headed.cells[0][-1]),
        ),
    ]
    return PublicFigures(tables=tables, shares=shares)


def _noted_share(cells: list[Cell]) -> float | None:
    women, men, others, _not_noted, _total = cells
    if women.hidden or men.hidden or others.hidden:
        return None
    noted = women.value + men.value + others.value
    return women.value / noted if noted else None
