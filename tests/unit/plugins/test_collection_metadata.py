# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's metadata agrees with its code."""

from __future__ import annotations

import os
import re

import yaml

from ansible_collections.fastcron.cloud.plugins.doc_fragments.fastcron import ModuleDocFragment
from ansible_collections.fastcron.cloud.plugins.module_utils import client
from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import fastcron_argument_spec
from ansible_collections.fastcron.cloud.plugins.modules import fastcron_cron, fastcron_cron_batch, fastcron_group
from ansible_collections.fastcron.cloud.tests.unit.plugins.module_specs import argument_spec_of

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def module_names():
    directory = os.path.join(COLLECTION_ROOT, 'plugins', 'modules')
    return sorted(name[:-3] for name in os.listdir(directory) if name.endswith('.py') and not name.startswith('_'))


def test_action_group_lists_exactly_the_modules():
    with open(os.path.join(COLLECTION_ROOT, 'meta', 'runtime.yml')) as handle:
        runtime = yaml.safe_load(handle)
    assert module_names()
    assert sorted(runtime['action_groups']['fastcron']) == module_names()


def test_doc_fragment_documents_the_shared_argument_spec():
    documented = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = fastcron_argument_spec()
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc['type'] == option['type'], name
        assert doc.get('default') == option.get('default'), name
        assert doc.get('aliases', []) == option.get('aliases', []), name


def test_secrets_in_the_shared_spec_are_no_log():
    spec = fastcron_argument_spec()
    assert spec['api_token']['no_log'] is True
    assert spec['api_token']['fallback'][1] == ['FASTCRON_API_TOKEN']
    assert spec['api_url']['fallback'][1] == ['FASTCRON_API_URL']


def test_the_version_is_galaxy_yml_s():
    with open(os.path.join(COLLECTION_ROOT, 'galaxy.yml')) as handle:
        version = yaml.safe_load(handle)['version']
    assert version == client.COLLECTION_VERSION
    assert 'ansible-fastcron.cloud/%s' % version == client.USER_AGENT


def role_file(*path):
    with open(os.path.join(COLLECTION_ROOT, 'roles', 'account', *path)) as handle:
        return yaml.safe_load(handle)


def test_the_role_passes_every_cronjob_option_and_no_other(monkeypatch):
    """The role hands its cronjob items, only selected, to fastcron_cron_batch.

    The batch's entries take fastcron_cron's options.
    """
    role_vars = role_file('vars', 'main.yml')
    tasks = [task for task in role_file('tasks', 'main.yml') if 'fastcron.cloud.fastcron_cron_batch' in task]
    assert len(tasks) == 2  # the whole account, and each purged group
    for task in tasks:
        crons = task['fastcron.cloud.fastcron_cron_batch']['crons'].strip()
        crons = dict(role_vars, **task.get('vars', {})).get(crons.strip('{} '), crons)
        assert 'account_cronjobs' in crons, crons
        assert set(re.findall(r'\|\s*([\w.]+)', crons)) <= {'selectattr', 'rejectattr', 'list'}, crons
    entry = fastcron_cron_batch.CronBatchModule.entry_spec
    cron = argument_spec_of(fastcron_cron, monkeypatch)
    assert set(entry) == set(cron) - set(fastcron_argument_spec())
    for option, spec in entry.items():
        assert spec == cron[option], option


def test_the_role_s_group_options_are_the_module_s(monkeypatch):
    role = role_file('meta', 'argument_specs.yml')['argument_specs']['main']['options']['account_groups']['options']
    spec = argument_spec_of(fastcron_group, monkeypatch)
    spec['purge'] = argument_spec_of(fastcron_cron_batch, monkeypatch)['purge']
    for option in role:
        assert role[option]['type'] == spec[option]['type'], option
        assert sorted(role[option].get('choices', [])) == sorted(spec[option].get('choices', [])), option
        assert role[option].get('default') == spec[option].get('default') or option == 'name', option
