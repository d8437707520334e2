# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local simulator of the FastCron HTTP API, for tests of this collection.

It implements every function of the API reference (``/api/v1/<function>``) on an
in-memory account, plus an ``/_admin`` surface that lets tests reset and seed the
state, read the request log, change the configuration and inject faults.

The code lives in the ``fastcron_sim`` package next to this file; this module starts it
and re-exports its names, so both of these keep working:

    python tests/simulator/fastcron_simulator.py --help
    from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator

See README.md in the same folder for the CLI, the admin endpoints and the error codes.
"""

import sys
import types

try:
    from . import fastcron_sim
except ImportError:  # run as a script (sys.path[0] is this folder) or imported as a top-level module
    import fastcron_sim

__all__ = sorted(
    name
    for name, value in vars(fastcron_sim).items()
    if not name.startswith('_') and not isinstance(value, types.ModuleType)
)
globals().update((name, getattr(fastcron_sim, name)) for name in __all__)


if __name__ == '__main__':
    sys.exit(fastcron_sim.main())
