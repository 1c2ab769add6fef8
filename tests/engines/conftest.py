"""Fixtures shared by the tests of the Django-free engines (amparo.engines.*)."""

from __future__ import annotations

import os
import shutil

import pytest


def _java_available() -> bool:
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


@pytest.fixture(scope="session")
def spark():
    """One local Spark session for the whole test run (JVM start-up is the slow part).

    Skips when PySpark or a Java runtime is missing; CI runs with AMPARO_STRICT_TESTS=1,
    where a skipped Spark test fails the run.
    """
    pyspark = pytest.importorskip("pyspark")
    if not _java_available():
        pytest.skip("no Java runtime: Spark tests need one (apt-get install default-jre-headless)")
    from pyspark.sql import SparkSession

    del pyspark
    import logging

    # py4j logs "closing down" lines after pytest has closed its streams at exit.
    logging.getLogger("py4j").setLevel(logging.ERROR)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("amparo-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
