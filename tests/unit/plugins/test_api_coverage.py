# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""docs/api-coverage.md maps every API function to modules and options that exist."""

from __future__ import annotations

import importlib
import os
import re

from ansible_collections.fastcron.cloud.tests.unit.plugins.module_specs import argument_spec_of

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
TABLE = os.path.join(COLLECTION_ROOT, 'docs', 'api-coverage.md')
SIMULATOR_API = os.path.join(COLLECTION_ROOT, 'tests', 'simulator', 'fastcron_sim', 'api.py')
TABLE_HEADING = '## Functions and the modules that reach them'
NAME = re.compile(r'`([a-z_]+)`')


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def coverage_rows():
    """The rows of the coverage table as (function, module, [options]); removed functions are in another section."""
    lines = read(TABLE).splitlines()
    start = lines.index(TABLE_HEADING)
    rows = []
    for line in lines[start:][1:]:
        if line.startswith('#'):
            break
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        if not line.startswith('|') or len(cells) != 4 or not cells[0].startswith('`'):
            continue
        function, module = NAME.fullmatch(cells[0]).group(1), NAME.fullmatch(cells[1]).group(1)
        rows.append((function, module, NAME.findall(cells[2])))
    return rows


def simulated_functions():
    """The API functions the simulator implements: its Account.fn_* methods."""
    return set(re.findall(r'^\s+def fn_([a-z_]+)\(', read(SIMULATOR_API), re.MULTILINE))


def existing_modules():
    directory = os.path.join(COLLECTION_ROOT, 'plugins', 'modules')
    return {name[:-3] for name in os.listdir(directory) if name.endswith('.py') and not name.startswith('_')}


def argument_spec(module_name, monkeypatch):
    return argument_spec_of(
        importlib.import_module('ansible_collections.fastcron.cloud.plugins.modules.%s' % module_name), monkeypatch
    )


def test_the_table_is_read():
    rows = coverage_rows()
    assert len(rows) > 30
    assert ('cron_run', 'fastcron_cron_run', ['run_at', 'payload']) in rows


def test_every_function_of_the_simulator_is_in_the_table():
    simulated = simulated_functions()
    assert {'cron_list', 'cron_add', 'group_items', 'account_edit'} <= simulated
    missing = sorted(simulated - {function for function, _module, _options in coverage_rows()})
    assert not missing, 'API functions no row of docs/api-coverage.md maps to a module: %s' % ', '.join(missing)


def test_the_table_names_only_functions_of_the_api():
    unknown = sorted({function for function, _module, _options in coverage_rows()} - simulated_functions())
    assert not unknown, (
        'docs/api-coverage.md names functions the API (as the simulator implements it) lacks: %s' % ', '.join(unknown)
    )


def test_every_module_of_the_table_exists():
    missing = sorted({module for _function, module, _options in coverage_rows()} - existing_modules())
    assert not missing, 'docs/api-coverage.md names modules that plugins/modules/ lacks: %s' % ', '.join(missing)


def test_every_option_of_the_table_is_the_module_s(monkeypatch):
    named = {}
    for _function, module, options in coverage_rows():
        named.setdefault(module, set()).update(options)
    unknown = []
    for module in sorted(set(named) & existing_modules()):
        spec = argument_spec(module, monkeypatch)
        unknown.extend('%s: %s' % (module, option) for option in sorted(named[module] - set(spec)))
    assert not unknown, 'docs/api-coverage.md names options the modules do not take: %s' % ', '.join(unknown)
