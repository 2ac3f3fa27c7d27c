import datetime as dt

import pytest

from convocation.treaties.status import ActionFact, StateStatus, party_from, status_on

ENTRY_INTO_FORCE = dt.date(2014, 12, 24)
DEPOSIT = dt.date(2020, 7, 6)


def status(actions, on):
    return status_on(actions, on, entry_into_force=ENTRY_INTO_FORCE, delay_days=90)


@pytest.mark.parametrize(
    ("days_after_deposit", "expected"),
    [
        (89, StateStatus.OBSERVER),
        (90, StateStatus.STATE_PARTY),
        (91, StateStatus.STATE_PARTY),
    ],
)
def test_status_accession_without_signature_at_the_edges(days_after_deposit, expected):
    actions = [ActionFact("accession", DEPOSIT)]
    assert status(actions, DEPOSIT + dt.timedelta(days=days_after_deposit)) == expected


@pytest.mark.parametrize(
    ("days_after_deposit", "expected"),
    [
        (-1, StateStatus.SIGNATORY),
        (0, StateStatus.SIGNATORY),
        (89, StateStatus.SIGNATORY),
        (90, StateStatus.STATE_PARTY),
        (91, StateStatus.STATE_PARTY),
    ],
)
def test_status_signature_then_ratification(days_after_deposit, expected):
    actions = [ActionFact("signature", dt.date(2013, 6, 3)), ActionFact("ratification", DEPOSIT)]
    assert status(actions, DEPOSIT + dt.timedelta(days=days_after_deposit)) == expected


def test_status_before_signature_is_observer():
    actions = [ActionFact("signature", dt.date(2013, 9, 25))]
    assert status(actions, dt.date(2013, 9, 24)) == StateStatus.OBSERVER
    assert status(actions, dt.date(2013, 9, 25)) == StateStatus.SIGNATORY


def test_status_no_action_is_observer():
    assert status([], dt.date(2026, 3, 16)) == StateStatus.OBSERVER


def test_deposit_before_entry_into_force_counts_from_entry_into_force():
    # 2 April 2014 + 90 days is in July 2014, before the treaty itself entered into force.
    actions = [
        ActionFact("signature", dt.date(2013, 6, 3)),
        ActionFact("ratification", dt.date(2014, 4, 2)),
    ]
    assert party_from(actions, entry_into_force=ENTRY_INTO_FORCE, delay_days=90) == ENTRY_INTO_FORCE
    assert status(actions, dt.date(2014, 12, 23)) == StateStatus.SIGNATORY
    assert status(actions, ENTRY_INTO_FORCE) == StateStatus.STATE_PARTY


def test_delay_is_a_setting_of_the_treaty():
    actions = [ActionFact("accession", DEPOSIT)]
    on = DEPOSIT + dt.timedelta(days=30)
    assert status_on(actions, on, entry_into_force=ENTRY_INTO_FORCE, delay_days=30) == (
        StateStatus.STATE_PARTY
    )
    assert status(actions, on) == StateStatus.OBSERVER
