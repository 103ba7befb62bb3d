"""Classification of free text and literature flows; the knowledge base built from them."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from ecozone.symbiosis.classification import classify_name, rank_classes
from ecozone.symbiosis.knowledge import curated_links, evidence_links, knowledge_base
from ecozone.symbiosis.literature import LiteratureExchange, classified_exchanges, classify_rows, infer_input_class

# Hand-labelled sample of literature flow names (labelled by reading the name, before running the classifier).
HAND_LABELLED = {
    "Residual oil": "oil_residue",
    "Waste asphalt": "mineral_waste",
    "Scrap plastic": "plastic_waste",
    "Plastic flakes": "plastic_waste",
    "Condensate": "clean_water",
    "Steam": "steam_heat",
    "Gypsum": "gypsum_byproduct",
    "Water": "clean_water",
    "Waste oil": "used_oil",
    "Waste solvent": "spent_solvent",
    "Brown water": "food_waste",
    "Co2": "industrial_gas",
    "Ash": "coal_ash_slag",
    "Fly ash": "fly_ash",
    "Flue ash": "fly_ash",
    "Sludge": "sewage_sludge",
    "Sewage sludge": "sewage_sludge",
    "Bagasse": "agricultural_biomass",
    "Molasses": "fermentation_residue",
    "Sawdust": "wood_waste",
    "Bark": "wood_waste",
    "Wood chips": "wood_waste",
    "Fibre sludge": "pulp_fibre_sludge",
    "Lime sludge": "lime_residue",
    "Carbide slag(Le)": "lime_residue",
    "Blast furnace sand": "metallurgical_slag",
    "Steel mill slag": "metallurgical_slag",
    "Red mud": "metallurgical_slag",
    "Steel scrap": "ferrous_scrap",
    "Galvanized plate scraps": "ferrous_scrap",
    "Aluminum scrap": "non_ferrous_scrap",
    "Waste paper": "paper_cardboard",
    "Newspaper": "paper_cardboard",
    "Used tires": "rubber_tyres",
    "Textile waste": "textile_waste",
    "Spent lead acid batteries": "lead_batteries",
    "Electronic waste": "e_waste",
    "PCB": "e_waste",
    "Waste HCl(Le)": "spent_acid_alkali",
    "Electroplating sludge": "hazardous_sludge",
    "waste activated carbon(Le)": "spent_adsorbent",
    "Sulphuric acid": "chemicals",
    "Caustic soda": "chemicals",
    "Ammonia": "chemicals",
    "Hydrogen": "industrial_gas",
    "Nitrogen": "industrial_gas",
    "Fuel gas": "combustible_gas",
    "Biogas": "combustible_gas",
    "District heating": "steam_heat",
    "Electricity": "electricity",
    "Waste water": "raw_wastewater",
    "KWRP recycled water": "treated_wastewater",
    "Reclaimed water(Le)": "treated_wastewater",
    "Stone cuttings": "mineral_waste",
    "Packaging": "packaging_reusable",
    "Stillage": "fermentation_residue",
    "Excreta (Le)": "animal_manure",
    "By-product": "unspecified",
    "Energy": "unspecified",
    "Auto parts": "unspecified",
}


def test_hand_labelled_sample_accuracy() -> None:
    wrong = {
        name: classify_name(name, "output", include_unspecified=True).stream_class
        for name, expected in HAND_LABELLED.items()
        if classify_name(name, "output", include_unspecified=True).stream_class != expected
    }
    accuracy = 1 - len(wrong) / len(HAND_LABELLED)
    assert accuracy >= 0.95, wrong


@pytest.mark.parametrize(
    ("name", "direction", "expected"),
    [
        ("xỉ than", "output", "coal_ash_slag"),
        ("coal slag", "output", "coal_ash_slag"),
        ("boiler bottom ash", "output", "coal_ash_slag"),
        ("Xỉ đáy lò hơi đốt than", "output", "coal_ash_slag"),
        ("cement additive", "input", "cement_raw_material"),
        ("phụ gia xi măng", "input", "cement_raw_material"),
        ("Nước thải sau xử lý", "output", "treated_wastewater"),
        ("bùn xi mạ", "output", "hazardous_sludge"),
    ],
)
def test_free_text_in_both_languages(name: str, direction: str, expected: str) -> None:
    assert classify_name(name, direction).stream_class == expected


def test_tfidf_fallback_finds_a_misspelt_name() -> None:
    result = classify_name("sawdusts and shavingz", "output")
    assert result.stream_class == "wood_waste"
    ranked = rank_classes("flyash", "output")
    assert ranked[0][0] == "fly_ash"


def test_direction_restricts_classes() -> None:
    assert classify_name("cement additive", "output").stream_class != "cement_raw_material"


def test_shipped_literature_table_is_reproducible() -> None:
    shipped = classified_exchanges()
    assert len(shipped) == 738
    rows = [
        {"eip": e.park, "supplier": e.supplier, "accepter": e.accepter, "flow": e.flow, "attribute": e.attribute} for e in shipped
    ]
    assert tuple(classify_rows(rows)) == shipped
    folder = resources.files("ecozone.symbiosis.data").joinpath("literature")
    assert "GPL" in folder.joinpath("NOTICE.md").read_text(encoding="utf-8")
    header = next(csv.reader(folder.joinpath("eip_exchanges_classified.csv").read_text(encoding="utf-8").splitlines()))
    assert {"source", "edition", "status"} <= set(header)


def test_input_class_rules() -> None:
    links = curated_links()
    assert infer_input_class("fly_ash", "Cement plant", links) == ("cement_raw_material", "receiver+link")
    assert infer_input_class("steam_heat", "Refinery", links) == ("steam_heat", "direct")
    assert infer_input_class("coal_ash_slag", "Somebody", links) == ("brick_block_material", "default_link")
    assert infer_input_class("unspecified", "Cement plant", links) == ("unspecified", "none")


def test_evidence_counts() -> None:
    rows = [("A", "fly_ash", "cement_raw_material"), ("B", "fly_ash", "cement_raw_material"), ("A", "fly_ash", "unspecified")]
    assert evidence_links(rows) == {("fly_ash", "cement_raw_material"): (2, ("A", "B"))}


def test_knowledge_base_counts_literature_evidence() -> None:
    kb = knowledge_base()
    expected = sum(1 for e in classified_exchanges() if (e.output_class, e.input_class) == ("fly_ash", "cement_raw_material"))
    link = kb.link("fly_ash", "cement_raw_material")
    assert link is not None and link.curated and link.evidence == expected > 0
    literature_only = [link for link in kb.links.values() if not link.curated]
    assert literature_only and all(link.evidence > 0 for link in literature_only)
    without_kalundborg = knowledge_base(exclude_parks=["Kalundborg"])
    assert all("Kalundborg" not in link.evidence_parks for link in without_kalundborg.links.values())


def test_avoided_emissions_by_hand() -> None:
    kb = knowledge_base(include_literature=False)
    fly_ash = kb.link("fly_ash", "cement_raw_material")
    scrap = kb.link("ferrous_scrap", "furnace_charge")
    food = kb.link("food_waste", "digester_feedstock")
    wood = kb.link("wood_waste", "fuel_input")
    assert fly_ash and scrap and food and wood
    assert kb.avoided_tco2e_per_unit(fly_ash) == pytest.approx(0.8)
    assert kb.avoided_tco2e_per_unit(scrap) == pytest.approx(1.5)
    # 0.15 DOC x 0.5 DOCf x 1.0 MCF x 0.5 F x 16/12 x 28 = 1.40 avoided; digestion emits 0.8 kg CH4/t x 28
    assert kb.avoided_tco2e_per_unit(food) == pytest.approx(0.15 * 0.5 * 0.5 * 16 / 12 * 28 - 0.0008 * 28, abs=1e-3)
    # 15.6 GJ/t / 3.6 = 4.33 MWh/t, x 94.6 t CO2/TJ x 0.0036 TJ/MWh
    assert kb.avoided_tco2e_per_unit(wood) == pytest.approx(4.33 * 0.0946 * 3.6, rel=1e-3)


def test_literature_exchange_fields() -> None:
    first = classified_exchanges()[0]
    assert isinstance(first, LiteratureExchange)
    assert (first.park, first.supplier, first.accepter, first.flow) == (
        "Brownsville",
        "Refinery",
        "Asphalt plant",
        "Residual oil",
    )
