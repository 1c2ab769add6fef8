"""The file to give ``spark-submit``: the ``tdb`` command line with absolute imports (a file
run as a script cannot use the package's relative ones).

    spark-submit --master spark://head:7077 .../amparo/engines/tdb/submit.py \\
        ingest /shared/dumps --store /shared/tdb --engine spark
"""

import sys

from amparo.engines.tdb.cli import main

if __name__ == "__main__":
    sys.exit(main())
