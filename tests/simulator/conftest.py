# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulator's own tests start from its built-in defaults, whatever the environment sets."""

import pytest

CONFIG_ENV = 'FASTCRON_SIMULATOR_CONFIG'


@pytest.fixture(autouse=True)
def _no_config_from_the_environment(monkeypatch):
    monkeypatch.delenv(CONFIG_ENV, raising=False)


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'http: talks real HTTP to a local FastCron API simulator (left out by -m "not http")'
    )
