"""ISO 3166-1 country normalisation and bilingual names."""

from __future__ import annotations

import pycountry
import pytest

from ecozone.errors import NotFoundError
from ecozone.registry.countries import country_name, country_names, is_valid_country, normalise_country

MAIN_INVESTORS = [
    "KR",
    "JP",
    "SG",
    "TW",
    "CN",
    "HK",
    "US",
    "VG",
    "NL",
    "MY",
    "TH",
    "DE",
    "FR",
    "GB",
    "AU",
    "CA",
    "IN",
    "ID",
    "PH",
    "IT",
    "CH",
    "SE",
    "DK",
    "BE",
    "VN",
]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("jp", "JP"),
        ("JP", "JP"),
        (" JPN ", "JP"),
        ("392", "JP"),
        ("Japan", "JP"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Republic of Korea", "KR"),
        ("Korea", "KR"),
        ("North Korea", "KP"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("VIETNAM", "VN"),
        ("Taiwan", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("Hong Kong", "HK"),
        ("British Virgin Islands", "VG"),
        ("Virgin Islands, British", "VG"),
        ("BVI", "VG"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("the Netherlands", "NL"),
        ("Holland", "NL"),
        ("Hàn Quốc", "KR"),
        ("han quoc", "KR"),
        ("Nhật Bản", "JP"),
        ("Đài Loan (Trung Quốc)", "TW"),
        ("Hoa Kỳ", "US"),
        ("Mỹ", "US"),
        ("MY", "MY"),  # two ASCII letters are a code: Malaysia
        ("Thụy Sĩ", "CH"),
        ("Thuỵ Sĩ", "CH"),
    ],
)
def test_normalise_country(text: str, code: str) -> None:
    assert normalise_country(text) == code


@pytest.mark.parametrize("text", ["", "  ", "XX", "ZZZ", "Atlantis", "Virgin Islands", "EU", "999"])
def test_unknown_countries_give_none(text: str) -> None:
    assert normalise_country(text) is None


def test_every_iso_country_round_trips() -> None:
    for country in pycountry.countries:
        for text in (country.alpha_2, country.alpha_2.lower(), country.alpha_3, country.numeric, country.name):
            assert normalise_country(text) == country.alpha_2, text


def test_shipped_names_point_back_to_their_code() -> None:
    for code, names in country_names().items():
        for text in (names.name_en, names.name_vi, *names.aliases):
            if text:
                assert normalise_country(text) == code, text
        assert names.source and names.edition and names.status == "unverified"


def test_main_investors_have_vietnamese_names() -> None:
    for code in MAIN_INVESTORS:
        assert country_names()[code].name_vi, code
    assert country_name("VN", "vi") == "Việt Nam"
    assert country_name("kr", "vi") == "Hàn Quốc"
    assert country_name("JP", "vi") == "Nhật Bản"
    assert country_name("US", "vi") == "Hoa Kỳ"


def test_english_names_and_fallback() -> None:
    assert country_name("KR", "en") == "South Korea"
    assert country_name("VN", "en") == "Viet Nam"
    assert country_name("FI", "en") == "Finland"
    assert country_name("FI", "vi") == "Finland"


def test_is_valid_country_is_strict() -> None:
    assert is_valid_country("JP")
    assert not is_valid_country("jp")
    assert not is_valid_country("JPN")
    assert not is_valid_country("UK")


def test_unknown_code_raises() -> None:
    with pytest.raises(NotFoundError) as raised:
        country_name("UK", "en")
    assert raised.value.key == "vsic.unknown_country"
    assert "UK" in raised.value.message("vi")
