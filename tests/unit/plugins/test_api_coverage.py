# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""docs/api-coverage.md maps every API function to modules and options that exist."""

from __future__ import annotations

import importlib
import os
import re

from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP
from ansible_collections.fastcron.cloud.tests.unit.plugins.module_specs import argument_spec_of

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
TABLE = os.path.join(COLLECTION_ROOT, 'docs', 'api-coverage.md')
SIMULATOR_API = os.path.join(COLLECTION_ROOT, 'tests', 'simulator', 'fastcron_sim', 'api.py')
TABLE_HEADING = '## Functions and the modules that reach them'
REMOVED_HEADING = '## Removed functions'
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


def removed_rows():
    """The rows of the removed functions' table as {function: what the collection does instead}."""
    lines = read(TABLE).splitlines()
    start = lines.index(REMOVED_HEADING) + 1
    rows = {}
    for line in lines[start:]:
        if line.startswith('#'):
            break
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        if line.startswith('|') and len(cells) == 3 and NAME.fullmatch(cells[0]):
            rows[NAME.fullmatch(cells[0]).group(1)] = cells[2]
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


def finding_classes(module):
    """The module classes of ``module`` that find one cronjob or group by its id or name."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and getattr(value, 'resource', None) in (CRON, GROUP)
    ]


def test_every_module_that_finds_an_object_by_id_or_name_lists_both_look_ups(monkeypatch):
    rows = coverage_rows()
    checked, missing = [], []
    for name in sorted(existing_modules()):
        module = importlib.import_module('ansible_collections.fastcron.cloud.plugins.modules.%s' % name)
        if not {'id', 'name'} <= set(argument_spec(name, monkeypatch)):
            continue
        for module_class in finding_classes(module):
            checked.append(name)
            resource = module_class.resource
            for function, option in ((resource.get_function, 'id'), (resource.search_function, 'name')):
                if not any(row[:2] == (function, name) and option in row[2] for row in rows):
                    missing.append('%s with %s (%s)' % (name, option, function))
    assert {'fastcron_cron', 'fastcron_group', 'fastcron_cron_run', 'fastcron_cron_pause'} <= set(checked)
    assert not missing, 'docs/api-coverage.md lacks the look-ups of: %s' % ', '.join(missing)


def test_the_removed_functions_are_neither_reached_nor_simulated():
    removed = removed_rows()
    assert {'cron_batch_edit', 'cron_group_edit', 'account_secret'} <= set(removed)
    reached = {function for function, _module, _options in coverage_rows()}
    assert not set(removed) & (reached | simulated_functions())


def test_account_secret_is_the_secret_keyword_s_value_not_the_token():
    text = removed_rows()['account_secret']
    assert '`__secret__`' in text
    # Wherever the row speaks of a token, it says that it is not one.
    for sentence in re.split(r'(?<=[.;:])\s+', text):
        assert 'token' not in sentence.lower() or re.search(r'\bnot\b', sentence), sentence


def test_cron_group_edit_is_done_by_the_batch_over_a_group(monkeypatch):
    text = removed_rows()['cron_group_edit']
    assert re.search(r'\bedit\w* the cronjobs of a group\b', text), text
    named = set(NAME.findall(text))
    assert {'fastcron_cron_batch', 'group'} <= named and 'fastcron_cron' not in named, text
    assert 'group' in argument_spec('fastcron_cron_batch', monkeypatch)
