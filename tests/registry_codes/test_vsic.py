"""VSIC 2018 table and code validation.

Expected counts and the division → section ranges are written out here from ISIC Rev.4
(UN, 2008), whose sections and divisions VSIC 2018 adopts, independently of the CSV.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecozone.errors import NotFoundError
from ecozone.i18n import translate
from ecozone.registry.vsic import VsicCode, is_valid_vsic, normalise_vsic, vsic_entry, vsic_label, vsic_section, vsic_table

# ISIC Rev.4 divisions by section, as inclusive ranges.
SECTION_RANGES = {
    "A": [(1, 3)],
    "B": [(5, 9)],
    "C": [(10, 33)],
    "D": [(35, 35)],
    "E": [(36, 39)],
    "F": [(41, 43)],
    "G": [(45, 47)],
    "H": [(49, 53)],
    "I": [(55, 56)],
    "J": [(58, 63)],
    "K": [(64, 66)],
    "L": [(68, 68)],
    "M": [(69, 75)],
    "N": [(77, 82)],
    "O": [(84, 84)],
    "P": [(85, 85)],
    "Q": [(86, 88)],
    "R": [(90, 93)],
    "S": [(94, 96)],
    "T": [(97, 98)],
    "U": [(99, 99)],
}
EXPECTED_DIVISIONS = {
    f"{number:02d}": section
    for section, ranges in SECTION_RANGES.items()
    for low, high in ranges
    for number in range(low, high + 1)
}
# ISIC Rev.4 groups per manufacturing division (section C has 71 groups).
MANUFACTURING_GROUPS = {
    "10": 8, "11": 1, "12": 1, "13": 2, "14": 3, "15": 2, "16": 2, "17": 1, "18": 2, "19": 2, "20": 3, "21": 1,
    "22": 2, "23": 2, "24": 3, "25": 3, "26": 8, "27": 6, "28": 2, "29": 3, "30": 5, "31": 1, "32": 6, "33": 2,
}  # fmt: skip


def _level(level: int) -> list[VsicCode]:
    return [entry for entry in vsic_table() if entry.level == level]


def test_sections_are_the_21_letters_a_to_u() -> None:
    assert [entry.code for entry in _level(1)] == list(string.ascii_uppercase[:21])


def test_divisions_are_the_88_isic_divisions_in_their_sections() -> None:
    divisions = {entry.code: entry.parent for entry in _level(2)}
    assert len(EXPECTED_DIVISIONS) == 88
    assert divisions == EXPECTED_DIVISIONS


def test_manufacturing_group_counts_follow_isic() -> None:
    groups = [entry for entry in _level(3) if entry.section == "C"]
    assert sum(MANUFACTURING_GROUPS.values()) == 71
    assert len(groups) == 71
    for division, count in MANUFACTURING_GROUPS.items():
        assert len([entry for entry in groups if entry.parent == division]) == count, division


@pytest.mark.parametrize("division", ["35", "36", "37", "38", "39", "52"])
def test_industrial_park_services_have_groups(division: str) -> None:
    assert any(entry.parent == division for entry in _level(3))


def test_rows_are_consistent_and_sourced() -> None:
    table = vsic_table()
    codes = [entry.code for entry in table]
    assert len(codes) == len(set(codes))
    by_code = {entry.code: entry for entry in table}
    for entry in table:
        assert entry.name_vi.strip() and entry.name_en.strip(), entry.code
        assert entry.source == "Decision 27/2018/QĐ-TTg, Appendix I (VSIC 2018)"
        assert entry.edition == "2018-07-06"
        assert entry.status == "unverified"
        if entry.level > 1:
            assert entry.parent is not None
            parent = by_code[entry.parent]
            assert parent.level == entry.level - 1
            if entry.level > 2:
                assert entry.code.startswith(parent.code)
                assert len(entry.code) == entry.level


@pytest.mark.parametrize(
    ("code", "name_en"),
    [
        ("10", "Manufacture of food products"),
        ("13", "Manufacture of textiles"),
        ("14", "Manufacture of wearing apparel"),
        ("20", "Manufacture of chemicals and chemical products"),
        ("22", "Manufacture of rubber and plastics products"),
        ("24", "Manufacture of basic metals"),
        ("25", "Manufacture of fabricated metal products, except machinery and equipment"),
        ("26", "Manufacture of computer, electronic and optical products"),
        ("52", "Warehousing and support activities for transportation"),
        ("99", "Activities of extraterritorial organizations and bodies"),
    ],
)
def test_well_known_division_names(code: str, name_en: str) -> None:
    assert vsic_label(code, "en") == name_en


@pytest.mark.parametrize("code", ["C", "U", "26", "01", "99", "261", "2610", "26100", "3511", "35116", "4610", "46101", "521"])
def test_known_codes_are_valid(code: str) -> None:
    assert is_valid_vsic(code)
    assert normalise_vsic(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "04",  # no division 04 (ISIC skips 04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89)
        "34",
        "40",
        "89",
        "00",
        "2",
        "Z",
        "V",
        "26a",
        "",
        "269",  # division 26 ships its groups; 269 is not one of them
        "26990",
        "2690",
        "123456",
        "C26",  # canonical form has no section prefix
    ],
)
def test_invalid_codes_are_rejected(code: str) -> None:
    assert not is_valid_vsic(code)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("C26", "26"),
        ("C 26", "26"),
        ("c26", "26"),
        (" 26 ", "26"),
        ("C 2610", "2610"),
        ("26.10", "2610"),
        ("h52", "52"),
        ("c", "C"),
    ],
)
def test_normalise_accepts_lenient_forms(typed: str, canonical: str) -> None:
    assert normalise_vsic(typed) == canonical


@pytest.mark.parametrize("typed", ["D26", "C52", "Z26", "C26a", "26-10", "C C26", "CC"])
def test_normalise_rejects_mismatched_or_malformed(typed: str) -> None:
    assert normalise_vsic(typed) is None


@pytest.mark.parametrize(
    ("code", "section"), [("26", "C"), ("35", "D"), ("52", "H"), ("5210", "H"), ("01", "A"), ("C", "C"), ("C26", "C")]
)
def test_section_of_code(code: str, section: str) -> None:
    assert vsic_section(code) == section


def test_every_division_maps_to_its_isic_section() -> None:
    for division, section in EXPECTED_DIVISIONS.items():
        assert vsic_section(division) == section


def test_label_uses_most_specific_shipped_level() -> None:
    assert vsic_label("26100", "en") == "Manufacture of electronic components"
    assert vsic_label("26100", "vi") == vsic_label("261", "vi")
    assert vsic_label("46101", "en") == vsic_label("46", "en")
    assert vsic_entry("46101").code == "46"
    assert vsic_label("C", "vi") == "Công nghiệp chế biến, chế tạo"


def test_unknown_code_raises_bilingual_not_found() -> None:
    with pytest.raises(NotFoundError) as raised:
        vsic_label("04", "en")
    assert raised.value.key == "vsic.unknown_code"
    assert "04" in raised.value.message("vi")
    assert raised.value.message("vi") != raised.value.message("en")


def test_messages_exist_in_both_languages() -> None:
    for key in ("vsic.unknown_code", "vsic.table_columns", "vsic.table_orphan"):
        assert translate(key, "vi") != translate(key, "en") != key


_groups = [entry.code for entry in vsic_table() if entry.level == 3]


@given(st.sampled_from(_groups), st.text(alphabet=string.digits, min_size=1, max_size=2))
def test_any_class_or_subclass_under_a_shipped_group_is_valid(group: str, tail: str) -> None:
    code = group + tail
    assert is_valid_vsic(code)
    assert normalise_vsic(f"{vsic_section(code)} {code}") == code
    assert vsic_label(code, "en") == vsic_label(group, "en")


@given(st.text(max_size=7))
def test_normalise_is_idempotent(text: str) -> None:
    canonical = normalise_vsic(text)
    if canonical is not None:
        assert is_valid_vsic(canonical)
        assert normalise_vsic(canonical) == canonical
