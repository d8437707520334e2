# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The argument spec a module builds, for tests that compare modules, docs and tables."""

from __future__ import annotations

import pytest
from ansible.module_utils import basic


class SpecCaught(Exception):
    pass


def argument_spec_of(module, monkeypatch):
    """The argument spec ``module``'s main() builds, caught before it parses anything."""

    def capture(self, argument_spec, **kwargs):
        raise SpecCaught(argument_spec)

    monkeypatch.setattr(basic.AnsibleModule, '__init__', capture)
    with pytest.raises(SpecCaught) as caught:
        module.main()
    return caught.value.args[0]
