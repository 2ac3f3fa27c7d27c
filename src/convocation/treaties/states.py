"""The States of the world, as the treaty's records name them, from ISO 3166 data."""

from dataclasses import dataclass

import pycountry

# Non-member observer States of the UN General Assembly: States that may act on a treaty
# (the State of Palestine acceded to the ATT) without being UN members.
OBSERVER_STATES = ("PSE", "VAT")


# Where the UN's name of a State is not ISO's name turned around its comma.
UN_NAMES = {
    "COD": "Democratic Republic of the Congo",
    "KOR": "Republic of Korea",
    "PRK": "Democratic People's Republic of Korea",
    "MDA": "Republic of Moldova",
    "TZA": "United Republic of Tanzania",
    "PSE": "State of Palestine",
    "VAT": "Holy See",
}


@dataclass(frozen=True)
class StateFact:
    code: str
    alpha_2: str
    name: str


def diplomatic_name(iso_name: str) -> str:
    """ISO writes "Iran, Islamic Republic of"; the UN writes "Iran (Islamic Republic of)"."""
    if ", " in iso_name:
        head, tail = iso_name.split(", ", 1)
        return f"{head} ({tail})"
    return iso_name


def un_member_codes() -> list[str]:
    import country_converter

    data = country_converter.CountryConverter().data
    return sorted(data.loc[data["UNmember"].notna(), "ISO3"])


def world_states() -> list[StateFact]:
    """Every UN member State and the two observer States, by ISO 3166-1 alpha-3 code."""
    facts = []
    for code in [*un_member_codes(), *OBSERVER_STATES]:
        country = pycountry.countries.get(alpha_3=code)
        name = UN_NAMES.get(code) or diplomatic_name(country.name)
        facts.append(StateFact(code, country.alpha_2, name))
    return facts
