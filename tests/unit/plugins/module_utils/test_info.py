# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils.info import (
    group_references,
    iso_time,
    run_time,
)


@pytest.mark.parametrize(
    'value, iso',
    [
        (0, '1970-01-01T00:00:00+00:00'),
        ('1796090400', '2026-12-01T02:00:00+00:00'),
        (1796090400.7, '2026-12-01T02:00:00+00:00'),
        (None, None),
        ('', None),
        (True, None),
        (10**20, None),
    ],
)
def test_iso_time_in_utc_or_none(value, iso):
    assert iso_time(value) == iso


def test_a_run_time_keeps_the_timestamp_as_it_came():
    assert run_time('1796090400') == {'timestamp': '1796090400', 'iso': '2026-12-01T02:00:00+00:00'}


def test_a_group_is_named_by_id_where_its_name_would_not_do():
    groups = [
        {'id': 1, 'name': 'ops'},
        {'id': 2, 'name': 'twin'},
        {'id': 3, 'name': 'twin'},
        {'id': 4, 'name': '2024'},
        {'id': 5, 'name': ' padded '},
        {'id': 6, 'name': ''},
        {'id': 7},
    ]
    assert group_references(groups) == {1: 'ops', 2: '2', 3: '3', 4: '4', 5: '5', 6: '6', 7: '7'}
