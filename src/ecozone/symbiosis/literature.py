"""The documented exchanges of 17 eco-industrial parks, classified into the taxonomy.

Source: ``complexly/EIPs`` (R package ``EIPs`` v0.1, Yang LI 2014, commit e5e4436), GPL;
738 directed exchanges (supplier → accepter, flow) in Kalundborg, Ulsan, Kwinana, TEDA,
Styria and 12 other parks. The derived table ``data/literature/eip_exchanges_classified.csv``
stays under the GPL; its notice is ``data/literature/NOTICE.md``.

How an exchange is classified
-----------------------------
- **Output class**: the flow's name through :func:`ecozone.symbiosis.classification.classify_name`
  (direction ``output``, generic labels such as "by-product", "energy" or a product
  allowed to fall into ``unspecified``).
- **Input class** (what the accepter uses it for), first rule that applies:

  1. ``receiver+link``: a class whose receiver words appear in the accepter's name and
     which a curated link joins to the output class (a cement works taking fly ash);
  2. ``direct``: the output class may itself be an input (steam, water, chemicals, scrap);
  3. ``receiver``: a class of the same measure (mass, volume, energy) whose receiver words
     appear in the accepter's name;
  4. ``default_link``: the output class's default curated link;
  5. otherwise ``unspecified``.

Regenerate the shipped table with ``python -m ecozone.symbiosis.literature SOURCE.csv``.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ecozone.symbiosis.classification import classify_name
from ecozone.symbiosis.knowledge import KnowledgeLink, curated_links
from ecozone.symbiosis.taxonomy import UNSPECIFIED, normalise_text, stream_class, stream_classes

LITERATURE_FILE = "eip_exchanges_classified.csv"
SOURCE = "complexly/EIPs v0.1 (Yang LI, 2014), data/*.rda; GPL; per-park references in eip_sources.csv of the shared data"
EDITION = "commit e5e4436"
COLUMNS = (
    "park",
    "supplier",
    "accepter",
    "flow",
    "attribute",
    "output_class",
    "output_method",
    "input_class",
    "input_method",
    "source",
    "edition",
    "status",
)


@dataclass(frozen=True)
class LiteratureExchange:
    """One documented exchange with its classes and how they were found."""

    park: str
    supplier: str
    accepter: str
    flow: str
    attribute: str
    output_class: str
    output_method: str
    input_class: str
    input_method: str


@cache
def _receiver_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9a-z]){re.escape(word)}")


def receiver_classes(accepter: str) -> list[str]:
    """Input classes whose receiver words start a word of the accepter's folded name, in taxonomy order."""
    text = normalise_text(accepter)
    return [
        entry.code
        for entry in stream_classes().values()
        if entry.allows("input") and any(_receiver_pattern(word).search(text) for word in entry.receivers)
    ]


def infer_input_class(output_class: str, accepter: str, links: Mapping[tuple[str, str], KnowledgeLink]) -> tuple[str, str]:
    """Return (input class, method) for an exchange of ``output_class`` to ``accepter`` (rules in the module doc)."""
    if output_class == UNSPECIFIED:
        return UNSPECIFIED, "none"
    receivers = receiver_classes(accepter)
    linked = [code for code in receivers if (output_class, code) in links]
    if linked:
        return linked[0], "receiver+link"
    if stream_class(output_class).allows("input"):
        return output_class, "direct"
    measure = stream_class(output_class).measure
    same_measure = [code for code in receivers if stream_class(code).measure == measure]
    if same_measure:
        return same_measure[0], "receiver"
    defaults = [link.input_class for link in links.values() if link.output_class == output_class and link.default_for_output]
    if defaults:
        return defaults[0], "default_link"
    return UNSPECIFIED, "none"


def classify_exchange(row: Mapping[str, str], links: Mapping[tuple[str, str], KnowledgeLink]) -> LiteratureExchange:
    """Classify one row of the source table (columns ``eip``, ``supplier``, ``accepter``, ``flow``, ``attribute``)."""
    output = classify_name(row["flow"], "output", include_unspecified=True)
    input_class, input_method = infer_input_class(output.stream_class, row["accepter"], links)
    return LiteratureExchange(
        park=row["eip"],
        supplier=row["supplier"],
        accepter=row["accepter"],
        flow=row["flow"],
        attribute=row["attribute"],
        output_class=output.stream_class,
        output_method=output.method,
        input_class=input_class,
        input_method=input_method,
    )


def classify_rows(rows: Iterable[Mapping[str, str]]) -> list[LiteratureExchange]:
    """Classify every source row with the curated links."""
    links = curated_links()
    return [classify_exchange(row, links) for row in rows]


@cache
def classified_exchanges() -> tuple[LiteratureExchange, ...]:
    """The shipped classified exchanges (738 rows)."""
    text = resources.files("ecozone.symbiosis.data").joinpath("literature", LITERATURE_FILE).read_text(encoding="utf-8")
    fields = LiteratureExchange.__dataclass_fields__
    return tuple(LiteratureExchange(**{k: v for k, v in row.items() if k in fields}) for row in csv.DictReader(text.splitlines()))


def write_classified(source: Path, target: Path) -> int:
    """Classify the source exchanges table and write the derived table; return the row count."""
    with source.open(encoding="utf-8") as handle:
        exchanges = classify_rows(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for exchange in exchanges:
            writer.writerow({**asdict(exchange), "source": SOURCE, "edition": EDITION, "status": "unverified"})
    return len(exchanges)


def main(arguments: list[str]) -> None:
    """Regenerate the shipped table from the source CSV given as the only argument."""
    target = Path(str(resources.files("ecozone.symbiosis.data").joinpath("literature", LITERATURE_FILE)))
    count = write_classified(Path(arguments[0]), target)
    sys.stdout.write(f"{count} exchanges written to {target}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
