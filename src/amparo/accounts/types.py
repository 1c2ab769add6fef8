"""Types for who acts.

:data:`Actor` is who a service acts for: the signed-in staff user, or ``None`` for the system
(a worker job, a command run without a user, a reporter who has no account). Services record it
in the audit chain and check its capabilities; ``None`` holds none.

Import it for annotations only, so that no module imports the account models at run time
because of a signature::

    from __future__ import annotations

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from amparo.accounts.types import Actor
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from amparo.accounts.models import User

Actor: TypeAlias = "User | None"
