"""Query engines of the readings store: the same Ibis KPI expressions on DuckDB or on Spark.

The KPIs of :mod:`ecozone.meters.kpis` are Ibis expressions over the readings table, so they
run unchanged on any Ibis backend. Two engines are supported:

========= ==================================================================================
engine    backend
========= ==================================================================================
duckdb    in-process DuckDB (the default): one machine, no service
spark     Apache Spark through Ibis's PySpark backend, for national datasets that outgrow one
          machine; :func:`connect` starts a local session (``local[2]``) unless given one
========= ==================================================================================

The local Spark session is configured for this use: session time zone UTC (the stored
``ts_utc`` is naive UTC and the KPIs add the local offset themselves), few shuffle
partitions, no web UI, driver bound to the loopback interface (no network), partition
columns read as text (``park_id=007`` stays ``"007"``), Parquet timestamps without a zone
read as naive (``TIMESTAMP_NTZ``) and Arrow transfers to pandas. Spark needs Java 17 or later
and the optional ``pyspark`` package (``pip install 'ecozone[spark]'``).

Example
-------
>>> backend = connect("spark")                                # doctest: +SKIP
>>> readings = open_readings_on(backend, workspace.readings_path)  # doctest: +SKIP
>>> energy_by_carrier(readings, level="firm").execute()       # doctest: +SKIP
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import ibis
from pydantic import BaseModel, ConfigDict, Field

from ecozone.errors import ConfigurationError
from ecozone.meters import dataset

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from pyspark.sql import SparkSession

ENGINES = ("duckdb", "spark")
"""Engine names accepted by :func:`connect` (and ``--engine`` in the CLI)."""
DEFAULT_ENGINE = "duckdb"
READINGS_TABLE = "readings"


class EngineError(ConfigurationError):
    """An engine is unknown or cannot be started (no ``pyspark``, no Java)."""


class SparkSettings(BaseModel):
    """Settings of the local Spark session started by :func:`spark_session`.

    Attributes
    ----------
    master : str
        Spark master; ``local[2]`` runs Spark in this process's JVM on two cores.
    app_name : str
        Application name.
    shuffle_partitions : int
        ``spark.sql.shuffle.partitions``: partitions after a shuffle (Spark's default of 200
        is meant for clusters; a few suit one machine).
    driver_memory : str
        JVM heap of the driver (``spark.driver.memory``), e.g. ``2g``; only applied when the
        JVM is started by this session.
    bind_address : str
        Address the driver listens on; the loopback interface keeps Spark off the network.
    log_level : str
        Spark log level once the session is up (``ERROR``, ``WARN``, ``INFO``).
    arrow : bool
        Transfer results to pandas through Arrow.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    master: str = "local[2]"
    app_name: str = "ecozone"
    shuffle_partitions: int = Field(default=4, ge=1)
    driver_memory: str = "2g"
    bind_address: str = "127.0.0.1"
    log_level: str = "ERROR"
    arrow: bool = True

    def spark_conf(self) -> dict[str, str]:
        """Return the Spark configuration of the session (``spark.*`` keys to values)."""
        return {
            "spark.master": self.master,
            "spark.app.name": self.app_name,
            "spark.driver.memory": self.driver_memory,
            "spark.driver.bindAddress": self.bind_address,
            "spark.driver.host": self.bind_address,
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
            "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
            "spark.sql.execution.arrow.pyspark.enabled": str(self.arrow).lower(),
            "spark.pyspark.python": sys.executable,
            "spark.pyspark.driver.python": sys.executable,
        }


def check_engine(engine: str) -> str:
    """Return the engine name, normalised (``DuckDB`` -> ``duckdb``).

    Raises
    ------
    EngineError
        If the engine is not one of :data:`ENGINES`.
    """
    name = str(engine).strip().lower()
    if name not in ENGINES:
        raise EngineError("engines.unknown", engine=engine, known=", ".join(ENGINES))
    return name


def _require_java() -> None:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").exists():
        return
    if shutil.which("java") is None:
        raise EngineError("engines.java_missing")


def spark_session(settings: SparkSettings | None = None) -> SparkSession:
    """Return the active Spark session, or start a local one with ``settings``.

    Parameters
    ----------
    settings : SparkSettings, optional
        Session settings (defaults: ``local[2]``, see :class:`SparkSettings`). When a session
        is already active, its JVM settings stay; the SQL settings are applied to it.

    Raises
    ------
    EngineError
        If ``pyspark`` is not installed, Java is missing or the session cannot start.
    """
    settings = settings or SparkSettings()
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise EngineError("engines.pyspark_missing") from exc
    _require_java()
    # The driver binds to the loopback interface; also tell spark-submit, so that a host name
    # resolving elsewhere is not looked up (respects a value the user set).
    os.environ.setdefault("SPARK_LOCAL_IP", settings.bind_address)
    builder = SparkSession.builder
    for key, value in settings.spark_conf().items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # pyspark raises several kinds when the JVM does not start
        raise EngineError("engines.spark_failed", detail=str(exc).strip().splitlines()[0] if str(exc).strip() else "") from exc
    session.sparkContext.setLogLevel(settings.log_level)
    return session


def connect(
    engine: str = DEFAULT_ENGINE,
    *,
    session: SparkSession | None = None,
    spark_settings: SparkSettings | None = None,
) -> ibis.BaseBackend:
    """Return an Ibis backend for ``engine``.

    Parameters
    ----------
    engine : {"duckdb", "spark"}
        Engine name (case-insensitive).
    session : SparkSession, optional
        Existing Spark session to use (``spark`` only); a local one is started otherwise.
    spark_settings : SparkSettings, optional
        Settings of the local session (``spark`` only).

    Returns
    -------
    ibis.BaseBackend
        A new in-memory DuckDB connection, or Ibis's PySpark backend on the session.

    Raises
    ------
    EngineError
        Unknown engine, or Spark unavailable.
    """
    name = check_engine(engine)
    if name == "duckdb":
        return ibis.duckdb.connect()
    spark = session if session is not None else spark_session(spark_settings)
    return ibis.pyspark.connect(spark)


def engine_of(backend: ibis.BaseBackend) -> str:
    """Return the engine name of an Ibis backend (``duckdb``, ``spark`` or the backend's own name)."""
    name = str(backend.name)
    return "spark" if name == "pyspark" else name


def open_readings_on(
    engine: str | ibis.BaseBackend,
    readings_path: Path,
    *,
    table_name: str = READINGS_TABLE,
) -> ir.Table:
    """Return the stored readings as an Ibis table on ``engine``.

    Parameters
    ----------
    engine : str or ibis.BaseBackend
        Engine name (a new backend is connected) or a backend from :func:`connect`.
    readings_path : Path
        The dataset folder (``Workspace.readings_path``), hive-partitioned
        ``park_id=<park>/month=<YYYY-MM>/data.parquet``.
    table_name : str
        Name of the view registered in the backend.

    Returns
    -------
    ibis.Table
        Columns of :data:`ecozone.meters.dataset.DATASET_SCHEMA`, in that order; an in-memory
        empty table when nothing is stored.

    Raises
    ------
    EngineError
        Unknown engine, or Spark unavailable.
    """
    backend = connect(engine) if isinstance(engine, str) else engine
    if engine_of(backend) != "spark" or not dataset.dataset_files(Path(readings_path)):
        table = dataset.open_readings(Path(readings_path), connection=backend, table_name=table_name)
    else:
        # Spark discovers the park_id=/month= folders below the dataset folder; names starting
        # with '.' (the staging area and the lock) are ignored by its file listing.
        table = backend.read_parquet(str(Path(readings_path).resolve()), table_name=table_name)
    return table.select(*dataset.DATASET_SCHEMA.names)
