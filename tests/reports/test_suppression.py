"""The small-count rule alone, on tables worked out by hand."""

from convocation.reports.suppression import (
    COMPLEMENT,
    SMALL,
    Cell,
    shown_share,
    suppress,
    suppress_together,
    with_totals,
)


def shown(table):
    return [[str(cell) for cell in row] for row in table.cells]


def test_with_totals_adds_row_and_column_totals():
    assert with_totals([[1, 2], [3, 4]]) == [[1, 2, 3], [3, 4, 7], [4, 6, 10]]


def test_suppress_shows_a_table_without_small_counts_whole():
    assert shown(suppress([[10, 12], [7, 30]])) == [
        ["10", "12", "22"],
        ["7", "30", "37"],
        ["17", "42", "59"],
    ]


def test_suppress_hides_every_count_under_five_including_zero():
    table = suppress([[5, 4, 0]], threshold=5)

    assert [cell.hidden for cell in table.cells[0]] == ["", SMALL, SMALL, ""]
    assert shown(table)[0] == ["5", "<5", "<5", "9"]


def test_suppress_hides_a_second_cell_where_one_could_be_subtracted():
    table = suppress([[20, 3], [15, 9]])

    # 3 is small. Alone in row 0 it would be 23 - 20: 20, the only other part, goes too.
    # Then column 0 has 20 alone hidden (35 - 15): 15 goes; column 1 has 3 alone (12 - 9):
    # 9 goes. Row 1 now has two hidden cells, and every line has none or two or more.
    assert shown(table) == [
        [COMPLEMENT, "<5", "23"],
        [COMPLEMENT, COMPLEMENT, "24"],
        ["35", "12", "47"],
    ]
    assert_no_line_with_one_hidden(table)


def test_suppress_prefers_the_smallest_part_to_a_total():
    table = suppress([[30, 2, 11, 40]])

    # Row: 2 is small; the next smallest part, 11, is hidden rather than the total 83.
    assert shown(table)[0] == ["30", "<5", COMPLEMENT, "40", "83"]
    assert_no_line_with_one_hidden(table)


def test_suppress_a_small_total_hides_it_and_its_parts():
    table = suppress([[1, 2]])

    assert shown(table)[0] == ["<5", "<5", "<5"]


def test_suppress_a_single_small_part_next_to_a_total_hides_the_total_only_when_no_part_is_left():
    # One part is small, the other is the only choice: both parts hidden, total shown.
    table = suppress([[3, 12]])

    assert shown(table)[0] == ["<5", COMPLEMENT, "15"]


def assert_no_line_with_one_hidden(table):
    rows = [[cell.hidden for cell in row] for row in table.cells]
    columns = [list(column) for column in zip(*rows, strict=True)]
    for line in rows + columns:
        assert sum(bool(hidden) for hidden in line) != 1, line


def test_suppress_leaves_no_row_or_column_with_a_single_hidden_cell():
    body = [[12, 3, 40], [9, 25, 7], [0, 18, 33], [6, 6, 4]]

    assert_no_line_with_one_hidden(suppress(body))


def test_suppress_together_hides_the_same_shared_totals_in_every_table():
    # Both tables add up to the same column totals (women 8, men 30, others 2).
    by_category = [[6, 10, 1], [2, 20, 1]]
    by_role = [[8, 12, 0], [0, 18, 2]]

    first, second = suppress_together([by_category, by_role])

    assert [c.value for c in first.column_totals] == [c.value for c in second.column_totals]
    assert [bool(c.hidden) for c in first.column_totals] == [
        bool(c.hidden) for c in second.column_totals
    ]
    assert_no_line_with_one_hidden(first)
    assert_no_line_with_one_hidden(second)


def test_shown_share_needs_both_counts_shown():
    assert shown_share(Cell(6), Cell(12)) == 0.5
    assert shown_share(Cell(3, SMALL), Cell(12)) is None
    assert shown_share(Cell(6), Cell(12, COMPLEMENT)) is None
    assert shown_share(Cell(0), Cell(0)) is None
