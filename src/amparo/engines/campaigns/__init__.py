"""Campaign detection: near-identical texts and paraphrases, co-action networks, flash
mobs and enforcement bursts.

A Django-free package, usable from a notebook, the command line, the worker or Spark::

    from amparo.engines.campaigns import Params, detect, read_posts
    posts, rejects = read_posts(["posts.parquet"])
    result = detect(posts, params=Params(windows=(30, 600)))

See docs/campaigns.md.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .detect import Result, detect
    from .io import Rejects, read_actions, read_posts
    from .model import Campaign, Params
    from .outputs import write_all

#: Where each public name lives. They are imported when first used (PEP 562), so importing
#: ``amparo.engines.campaigns.model`` (the parameters a form shows) does not load Polars,
#: PyArrow, NumPy and igraph into every web process.
_WHERE = {
    "Result": "detect",
    "detect": "detect",
    "Rejects": "io",
    "read_actions": "io",
    "read_posts": "io",
    "Campaign": "model",
    "Params": "model",
    "write_all": "outputs",
}


class _Package(types.ModuleType):
    """This package, guarding its public function ``detect`` against the submodule of the
    same name: importing ``amparo.engines.campaigns.detect`` makes Python set the package's
    attribute ``detect`` to that module, which would then shadow the function for
    ``from amparo.engines.campaigns import detect``."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _WHERE and name in globals():
            return  # the function, already loaded, stays
        if isinstance(value, types.ModuleType) and name in _WHERE:
            value = getattr(value, name)  # the submodule's own function of that name
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
