# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's metadata agrees with its code."""

from __future__ import annotations

import os

import yaml

from ansible_collections.fastcron.cloud.plugins.doc_fragments.fastcron import ModuleDocFragment
from ansible_collections.fastcron.cloud.plugins.module_utils.fastcron import fastcron_argument_spec

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
