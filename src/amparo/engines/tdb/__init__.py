"""Analytics of the DSA Transparency Database (statements of reasons), free of Django."""

import os
import sys

# Arrow's C++ allocator for this process, chosen before pyarrow is first imported (it reads
# the variable once): ingest allocates and frees a few hundred MB of buffers per CSV part, and
# the default allocator (mimalloc) returns the pages to the system at once, so the next part
# faults them in again; with jemalloc, which keeps freed pages for a while, ingest took 7-8 %
# less CPU here. An operator's own ARROW_DEFAULT_MEMORY_POOL wins; a process that imported
# pyarrow earlier keeps its allocator (and still gets jemalloc for the Python-level calls, see
# ingest.arrow_memory).
if "pyarrow" not in sys.modules:
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
    # jemalloc's own options, read when pyarrow loads: never purge freed pages on a timer
    # (even with a decay of 30 s, a steady churn of large buffers was purged and faulted in
    # again; ``ingest.arrow_memory`` hands the pages back when an ingest ends).
    os.environ.setdefault("JE_ARROW_MALLOC_CONF", "dirty_decay_ms:-1,muzzy_decay_ms:-1")
