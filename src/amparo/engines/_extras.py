"""Optional dependencies: a clear line, not a traceback, when an extra is missing."""

from __future__ import annotations

SPARK_MISSING = (
    "amparo: the Spark engine needs PySpark, which the server install leaves out: "
    "pip install 'amparo[spark]' (and a Java runtime), or use the default engine"
)


def require_pyspark() -> None:
    """Raise :class:`SystemExit` with one line saying how to install PySpark when it is absent."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SystemExit(SPARK_MISSING) from None
