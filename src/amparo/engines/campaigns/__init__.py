"""Campaign detection: near-identical texts and paraphrases, co-action networks, flash
mobs and enforcement bursts.

A Django-free package, usable from a notebook, the command line, the worker or Spark::

    from amparo.engines.campaigns import Params, detect, read_posts
    posts, rejects = read_posts(["posts.parquet"])
    result = detect(posts, params=Params(windows=(30, 600)))

See docs/campaigns.md.
"""

from .detect import Result, detect
from .io import Rejects, read_actions, read_posts
from .model import Campaign, Params
from .outputs import write_all

__all__ = [
    "Campaign",
    "Params",
    "Rejects",
    "Result",
    "detect",
    "read_actions",
    "read_posts",
    "write_all",
]
