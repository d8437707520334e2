# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The checks of one cronjob's options, shared by fastcron_cron and each entry of fastcron_cron_batch."""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils.cron_options import cron_argument_spec, cron_problem


def options(**given):
    params = dict.fromkeys(cron_argument_spec())
    params.update(name='job', url='https://example.com/job')
    params.update(given)
    return params


# NUL among them: ansible-core's own invocation log may refuse it first, but not on every controller.
@pytest.mark.parametrize('name', ['a\x00b', 'a\x01b', 'two\nlines', 'tab\there', 'bell\x07', 'del\x7f'])
def test_a_name_with_control_characters_is_refused_naming_name(name):
    assert cron_problem(options(name=name)) == 'name must be one line without control characters.'


@pytest.mark.parametrize('name', ['nightly backup', 'café', 'job #1: [daily]'])
def test_names_of_one_line_are_taken(name):
    assert cron_problem(options(name=name)) is None


@pytest.mark.parametrize('method', ['post', 'Post', 'POST', 'get', 'pAtCh', 'delete', 'head', 'PUT'])
def test_an_http_method_is_taken_in_any_case(method):
    assert cron_problem(options(http_method=method)) is None


@pytest.mark.parametrize('method', ['FETCH', 'posts', ' POST', 'GET\n', ''])
def test_other_http_methods_are_refused_naming_the_choices(method):
    assert cron_problem(options(http_method=method)) == (
        'value of http_method must be one of: GET, POST, PUT, PATCH, DELETE, HEAD, in any case; got %r.' % method
    )
