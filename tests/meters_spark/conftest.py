"""Fixtures of the Spark engine tests: one local Spark session for the whole test session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import ibis

SPARK_WARNINGS = (
    # pyspark 4.0 closes the local socket of collect()/toPandas() only when it is garbage
    # collected ("The socket will be automatically closed when garbage-collected", pyspark.util).
    "ignore:unclosed <socket\\.socket:ResourceWarning",
    # pyspark 4.0's pandas conversion calls Series.astype(copy=False), deprecated in pandas 3.
    "ignore:The copy keyword is deprecated:pandas.errors.Pandas4Warning:pyspark",
)
"""Warnings that pyspark itself emits with pandas 3; ignored in the Spark tests only."""


@pytest.fixture(scope="session")
def spark_backend() -> Iterator[ibis.BaseBackend]:
    """Ibis's PySpark backend on one local Spark session (``local[2]``), stopped at the end."""
    from ecozone.meters import engines

    backend = engines.connect("spark")
    try:
        yield backend
    finally:
        backend.disconnect()
