import datetime as dt
import io

import pytest

from convocation.treaties.imports import import_treaty_actions
from convocation.treaties.models import State, Treaty
from convocation.treaties.queries import status_of, statuses_on
from convocation.treaties.status import StateStatus

CSP12_WEEK = dt.date(2026, 3, 16)


@pytest.fixture
def att(demo):
    return Treaty.objects.get(code="att")


def test_statuses_on_china_is_observer_the_day_before_entry_into_force(att):
    # China acceded on 6 July 2020 without signing first: it stays an Observer State for
    # eighty-nine days.
    assert statuses_on(att, dt.date(2020, 10, 3))["CHN"] == StateStatus.OBSERVER


def test_statuses_on_china_is_state_party_from_the_ninetieth_day(att):
    assert statuses_on(att, dt.date(2020, 10, 4))["CHN"] == StateStatus.STATE_PARTY


def test_statuses_on_the_demo_during_the_csp12_week(att):
    statuses = statuses_on(att, CSP12_WEEK)

    assert {code: statuses[code] for code in ["CHN", "USA", "RUS", "CHE", "GBR", "PSE"]} == {
        "CHN": StateStatus.STATE_PARTY,
        "USA": StateStatus.SIGNATORY,
        "RUS": StateStatus.OBSERVER,
        "CHE": StateStatus.STATE_PARTY,
        "GBR": StateStatus.STATE_PARTY,
        "PSE": StateStatus.OBSERVER,
    }
    parties = sorted(code for code, status in statuses.items() if status == "state_party")
    assert parties == ["CHE", "CHN", "FRA", "GBR", "ROU"]
    assert [code for code, status in statuses.items() if status == "signatory"] == ["USA"]


def test_statuses_on_before_the_treaty_entered_into_force(att):
    # The first ratifications of April 2014 count only from 24 December 2014.
    statuses = statuses_on(att, dt.date(2014, 12, 23))

    assert sorted(code for code, status in statuses.items() if status == "signatory") == [
        "CHE",
        "FRA",
        "GBR",
        "ROU",
        "USA",
    ]
    assert StateStatus.STATE_PARTY not in statuses.values()


def test_statuses_on_agrees_with_status_of_for_every_state(att):
    statuses = statuses_on(att, CSP12_WEEK)

    assert statuses == {
        state.code: status_of(state, att, CSP12_WEEK) for state in State.objects.all()
    }


def test_statuses_on_every_un_member_and_observer_state(att):
    statuses = statuses_on(att, CSP12_WEEK)

    # 193 Member States of the United Nations, and the two non-member observer States.
    assert len(statuses) == 195
    assert set(statuses) == set(State.objects.values_list("code", flat=True))
    assert {"PSE", "VAT", "SSD", "CHN", "RUS", "USA"} <= set(statuses)
    # Not UN members: Taiwan, Kosovo, Western Sahara, Hong Kong.
    assert {"TWN", "XKX", "ESH", "HKG"} & set(statuses) == set()


def test_statuses_on_fixed_number_of_queries(att, django_assert_num_queries):
    with django_assert_num_queries(2):
        few = statuses_on(att, CSP12_WEEK)

    rows = "".join(
        f"{state.code},signature,2013-06-03\n{state.code},ratification,2015-01-01\n"
        for state in State.objects.exclude(code__in=["USA", "CHN", "ROU", "GBR", "FRA", "CHE"])
    )
    import_treaty_actions(treaty=att, lines=io.StringIO("state,action,date\n" + rows))

    with django_assert_num_queries(2):
        many = statuses_on(att, CSP12_WEEK)

    assert list(few.values()).count(StateStatus.STATE_PARTY) == 5
    assert list(many.values()).count(StateStatus.STATE_PARTY) == 194


def test_state_names_as_the_un_writes_them(demo):
    names = dict(
        State.objects.filter(
            code__in=["IRN", "BOL", "VEN", "FSM", "RUS", "CHN", "SYR", "LAO", "VNM", "CIV", "TUR"]
        ).values_list("code", "name")
    )

    assert names == {
        "IRN": "Iran (Islamic Republic of)",
        "BOL": "Bolivia (Plurinational State of)",
        "VEN": "Venezuela (Bolivarian Republic of)",
        "FSM": "Micronesia (Federated States of)",
        "RUS": "Russian Federation",
        "CHN": "China",
        "SYR": "Syrian Arab Republic",
        "LAO": "Lao People's Democratic Republic",
        "VNM": "Viet Nam",
        "CIV": "Côte d'Ivoire",
        "TUR": "Türkiye",
    }


def test_state_names_where_the_un_does_not_invert_the_iso_name(demo):
    # ISO writes "Korea, Republic of"; turning the comma into brackets suits "Iran (Islamic
    # Republic of)" but the UN list of Member States writes these names in natural order.
    names = dict(
        State.objects.filter(code__in=["COD", "KOR", "PRK", "MDA", "TZA", "PSE", "VAT"])
        .order_by("code")
        .values_list("code", "name")
    )

    assert names == {
        "COD": "Democratic Republic of the Congo",
        "KOR": "Republic of Korea",
        "PRK": "Democratic People's Republic of Korea",
        "MDA": "Republic of Moldova",
        "TZA": "United Republic of Tanzania",
        "PSE": "State of Palestine",
        "VAT": "Holy See",
    }
