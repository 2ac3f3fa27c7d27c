"""Small-count suppression for the public figures: no person can be singled out.

The rule, applied to every table the public page and its export show:

1. **Primary**: a count under 5 (0 to 4) is not shown; it reads "<5".
2. **Complementary**: a table is published with its totals (each row's, each column's and
   the grand total). In any row or column where exactly one cell is hidden, it could be
   worked out by subtraction from the others; so the smallest shown cell of that line is
   hidden too (a part rather than the total, where there is one). This is repeated until no
   row or column has exactly one hidden cell. Such a cell reads "—".
3. **Shared totals**: tables that share their column totals (the registered delegates by
   gender, split once by category and once by role) are suppressed together: a total
   hidden in one is hidden in all, and the rule runs again until nothing changes.
4. **Shares**: a percentage is shown only when both its counts are.

What it does not claim: differences between two tables (registered minus attended) are not
protected; the public page shows each table whole so that the rule above covers it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
SMALL = "<5"
COMPLEMENT = "—"


@dataclass(frozen=True)
class Cell:
    value: int
    hidden: str = ""  # "", or why: SMALL or COMPLEMENT

    @property
    def shown(self) -> int | None:
        return None if self.hidden else self.value

    def __str__(self) -> str:
        return self.hidden or str(self.value)


@dataclass(frozen=True)
class Table:
    """Rows of cells; the last cell of each row is its total, the last row the totals."""

    cells: list[list[Cell]]

    @property
    def body(self) -> list[list[Cell]]:
        return [row[:-1] for row in self.cells[:-1]]

    @property
    def column_totals(self) -> list[Cell]:
        return self.cells[-1]

    @property
    def row_totals(self) -> list[Cell]:
        return [row[-1] for row in self.cells[:-1]]


def with_totals(body: Sequence[Sequence[int]]) -> list[list[int]]:
    """The body with each row's total after it and a row of column totals below."""
    rows = [[*row, sum(row)] for row in body]
    columns = len(rows[0]) if rows else 1
    return [*rows, [sum(row[column] for row in rows) for column in range(columns)]]


def suppress(
    body: Sequence[Sequence[int]],
    *,
    threshold: int = THRESHOLD,
    hidden_totals: frozenset[int] = frozenset(),
) -> Table:
    """The table of ``body`` with its totals, small and derivable counts hidden.

    ``hidden_totals``: the positions in the row of column totals to hide whatever their
    value (the totals another table sharing them had to hide).
    """
    grid = with_totals(body)
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    why: dict[tuple[int, int], str] = {
        (r, c): SMALL
        for r, row in enumerate(grid)
        for c, value in enumerate(row)
        if value < threshold
    }
    for column in hidden_totals:
        why.setdefault((last_row, column), COMPLEMENT)
    lines = [[(r, c) for c in range(last_column + 1)] for r in range(last_row + 1)] + [
        [(r, c) for r in range(last_row + 1)] for c in range(last_column + 1)
    ]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(position in why for position in line) != 1:
                continue
            candidates = [position for position in line if position not in why]
            if not candidates:
                continue
            # A part rather than the total, and the smallest: the least information lost.
            is_total = {
                position: position[0] == last_row or position[1] == last_column
                for position in candidates
            }
            chosen = min(
                candidates,
                key=lambda p: (is_total[p], grid[p[0]][p[1]], p),
            )
            why[chosen] = COMPLEMENT
            changed = True
    return Table(
        cells=[
            [Cell(value, why.get((r, c), "")) for c, value in enumerate(row)]
            for r, row in enumerate(grid)
        ]
    )


def suppress_together(
    bodies: Sequence[Sequence[Sequence[int]]], *, threshold: int = THRESHOLD
) -> list[Table]:
    """Tables with the same column totals, suppressed so that each hides the same totals."""
    hidden: frozenset[int] = frozenset()
    while True:
        tables = [suppress(body, threshold=threshold, hidden_totals=hidden) for body in bodies]
        now_hidden = frozenset(
            column
            for table in tables
            for column, cell in enumerate(table.column_totals)
            if cell.hidden
        )
        if now_hidden == hidden:
            return tables
        hidden = now_hidden


def shown_share(part: Cell, whole: Cell) -> float | None:
    """A share only of two shown counts."""
    if part.hidden or whole.hidden or not whole.value:
        return None
    return part.value / whole.value
