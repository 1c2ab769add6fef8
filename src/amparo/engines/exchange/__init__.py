"""Exchange formats for shared items: STIX 2.1 bundles and MISP events, in and out.

Imports nothing from Django. The one representation both formats convert from and to is
:class:`amparo.engines.exchange.items.Item`, the plain-JSON form a shared item takes on the
wire between Amparo servers (``to_exchange_dict()``). ``stix2`` and ``pymisp`` are imported
only when a conversion runs, so the rest of Amparo works without them.
"""

from amparo.engines.exchange.items import Distribution, Item, ItemError, ItemKind

__all__ = ["Distribution", "Item", "ItemError", "ItemKind"]
