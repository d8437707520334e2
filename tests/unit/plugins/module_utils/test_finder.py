# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The look-ups on their own: a scripted API call, no AnsibleModule, no HTTP.

Each test scripts the requests the finder must make, in order, and their
answers; a request out of the script fails the test.
"""

from __future__ import annotations

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils import _finder
from ansible_collections.fastcron.cloud.plugins.module_utils._api_error import FastCronApiError
from ansible_collections.fastcron.cloud.plugins.module_utils._finder import (
    EndlessListing,
    Finder,
    FinderError,
    NotFound,
    NotUnique,
    Unresolved,
)
from ansible_collections.fastcron.cloud.plugins.module_utils._resource import Paging
from ansible_collections.fastcron.cloud.plugins.module_utils.resources import CRON, GROUP

# The cronjobs of these tests come in pages of three.
CRONS = CRON._replace(paging=Paging(3, numbered=CRON.paging.numbered))


class ScriptedCall:
    """The API call of a finder: answers the scripted requests in order, refuses any other."""

    def __init__(self, *script):
        self.script = list(script)
        self.calls = []

    def __call__(self, function, params=None):
        self.calls.append((function, params))
        assert self.script, 'unexpected call %s %r' % (function, params)
        expected, expected_params, answer = self.script.pop(0)
        assert (function, params) == (expected, expected_params)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def done(self):
        return not self.script


def cron(object_id, name=None, group=0):
    return {'id': object_id, 'name': name or 'job-%d' % object_id, 'url': 'https://example.com/', 'group': group}


def group(object_id, name):
    return {'id': object_id, 'name': name}


def finder(*script, **kwargs):
    return Finder(ScriptedCall(*script), **kwargs)


def not_found(function, http_status=200):
    return FastCronApiError(function, 'Cronjob not found', code=22, http_status=http_status)


# --- by id


def test_an_object_found_by_id_costs_one_get():
    look = finder(('cron_get', {'id': 5}, cron(5)))
    assert look.get(CRONS, 5) == cron(5)
    assert look.call.done()


def test_an_error_answered_as_404_is_no_such_object():
    look = finder(('cron_get', {'id': 5}, not_found('cron_get', 404)))
    assert look.get(CRONS, 5) is None


def test_an_error_envelope_is_no_such_object_once_a_search_for_the_id_does_not_show_it():
    look = finder(
        ('cron_get', {'id': 5}, not_found('cron_get')),
        ('cron_list', {'keyword': '5', 'page': 1}, [cron(15), cron(25)]),
    )
    assert look.get(CRONS, 5) is None
    assert look.call.done()


def test_an_error_envelope_for_an_id_that_the_search_shows_is_raised():
    error = not_found('cron_get')
    look = finder(('cron_get', {'id': 5}, error), ('cron_list', {'keyword': '5', 'page': 1}, [cron(5)]))
    with pytest.raises(FastCronApiError) as raised:
        look.get(CRONS, 5)
    assert raised.value is error


def test_a_group_error_envelope_is_confirmed_by_the_group_listing():
    look = finder(('group_get', {'id': 7}, not_found('group_get')), ('group_list', None, [group(8, 'ops')]))
    assert look.get(GROUP, 7) is None
    assert look.call.done()


@pytest.mark.parametrize('code', [None, 11])
def test_no_answer_and_a_bad_token_are_raised_without_a_search(code):
    error = FastCronApiError('cron_get', 'no answer', code=code)
    look = finder(('cron_get', {'id': 5}, error))
    with pytest.raises(FastCronApiError) as raised:
        look.get(CRONS, 5)
    assert raised.value is error
    assert look.call.done()


def test_existing_raises_not_found_naming_the_id_or_the_name():
    look = finder(
        ('cron_get', {'id': 5}, not_found('cron_get', 404)),
        ('cron_list', {'page': 1, 'keyword': 'nightly'}, [cron(1, 'nightly-2')]),
        ('cron_list', {'page': 1}, [cron(1, 'nightly-2')]),
    )
    with pytest.raises(NotFound, match=r"^No cronjob has the id 5\.$"):
        look.existing(CRONS, object_id=5)
    with pytest.raises(NotFound, match=r"^No cronjob has the name 'nightly'\.$"):
        look.existing(CRONS, name='nightly')
    assert look.call.done()


def test_existing_gives_the_one_object_named():
    look = finder(('cron_list', {'page': 1, 'keyword': 'nightly'}, [cron(1, 'nightly'), cron(2, 'nightly-2')]))
    assert look.existing(CRONS, name='nightly') == cron(1, 'nightly')


# --- by name


def test_two_objects_of_one_name_are_not_unique_naming_both_ids_and_the_newest():
    look = finder(('cron_list', {'page': 1, 'keyword': 'nightly'}, [cron(9, 'nightly'), cron(3, 'nightly')]))
    with pytest.raises(NotUnique) as raised:
        look.single(CRONS, 'nightly', option='crons[2]')
    assert str(raised.value) == (
        "crons[2]: 2 cronjobs are named 'nightly' (ids 9, 3); pass the id option to choose one. "
        'The one created last is most likely 9 (the highest id).'
    )
    assert (raised.value.ids, raised.value.newest) == ([9, 3], 9)
    assert isinstance(raised.value, FinderError)


def test_not_unique_without_integer_ids_names_no_newest():
    with pytest.raises(NotUnique) as raised:
        finder().one(GROUP, 'ops', [group('a', 'ops'), group('b', 'ops')])
    assert str(raised.value) == "2 groups are named 'ops' (ids a, b); pass the id option to choose one."
    assert raised.value.newest is None


def test_the_search_matches_loosely_and_only_exact_names_are_kept():
    look = finder(('group_lookup', {'name': 'ops'}, [group(1, 'OPS'), group(2, 'ops')]))
    assert look.single(GROUP, 'ops') == group(2, 'ops')


def test_a_name_the_search_does_not_find_is_confirmed_in_the_whole_listing():
    look = finder(
        ('cron_list', {'page': 1, 'keyword': 'a'}, []),
        ('cron_list', {'page': 1}, [cron(1), cron(2, 'a'), cron(3)]),
        ('cron_list', {'page': 2}, []),
    )
    assert look.named(CRONS, 'a', confirm=True) == [cron(2, 'a')]
    assert look.call.done()


def test_a_search_that_fills_a_page_falls_back_to_the_whole_listing_read_once():
    full = [cron(1, 'a-1'), cron(2, 'a-2'), cron(3, 'a-3')]
    look = finder(
        ('cron_list', {'page': 1, 'keyword': 'a'}, full),
        ('cron_list', {'page': 1}, full),
        ('cron_list', {'page': 2}, [cron(4, 'a')]),
    )
    assert look.named(CRONS, 'a') == [cron(4, 'a')]
    assert look.named(CRONS, 'a-2') == [cron(2, 'a-2')]  # from the listing read: no request
    assert look.call.done()


def test_read_whole_answers_every_look_up_from_one_listing():
    look = finder(('group_list', None, [group(7, 'ops'), group(8, 'web')]))
    look.read_whole(GROUP)
    assert look.get(GROUP, 8) == group(8, 'web')
    assert look.named(GROUP, 'ops') == [group(7, 'ops')]
    assert look.get(GROUP, 9) is None
    assert look.call.done()


# --- references


def test_a_reference_by_name_resolves_to_the_id():
    look = finder(('group_lookup', {'name': 'ops'}, [group(7, 'ops')]))
    assert look.reference_id(GROUP, ' ops ', 'group') == 7


def test_a_reference_to_a_name_no_object_has_is_unresolved():
    look = finder(('group_lookup', {'name': 'ops'}, []))
    with pytest.raises(Unresolved, match=r"^crons\[0\]\.group: no group is named 'ops'; create it first\.$"):
        look.reference_id(GROUP, 'ops', 'crons[0].group')


def test_a_reference_to_an_id_no_object_has_is_unresolved():
    look = finder(('group_get', {'id': 7}, not_found('group_get', 404)))
    with pytest.raises(Unresolved, match=r'^group: no group has the id 7\.$'):
        look.reference_id(GROUP, '7', 'group')


def test_a_reference_to_the_current_id_is_not_looked_up():
    assert finder().reference_id(GROUP, '7', 'group', current=7) == 7
    assert finder().reference_id(GROUP, '  ', 'group') is None


def test_in_check_mode_a_missing_name_stays_a_name_with_a_warning_recorded():
    look = finder(('group_lookup', {'name': 'ops'}, []), check_mode=True)
    assert look.reference_id(GROUP, 'ops', 'group') == 'ops'
    assert look.warnings == ["group: no group is named 'ops' yet; check mode assumes that an earlier task creates it."]


def test_the_warning_goes_to_the_callback_given():
    said = []
    look = finder(('group_lookup', {'name': 'ops'}, []), check_mode=True, warn=said.append)
    look.reference_id(GROUP, 'ops', 'group')
    assert len(said) == 1 and look.warnings == []


def test_resolved_fields_give_the_group_by_id_and_leave_other_fields_as_set():
    look = finder(('group_lookup', {'name': 'ops'}, [group(7, 'ops')]))
    resolved = look.resolved_fields(CRONS, {'name': 'a', 'group': 'ops', 'url': None})
    assert {field.option: value for field, value in resolved.items()} == {'name': 'a', 'group': 7}


# --- paging


def test_a_short_page_ends_the_listing():
    look = finder(('cron_list', {'page': 1}, [cron(1), cron(2), cron(3)]), ('cron_list', {'page': 2}, [cron(4)]))
    assert [item['id'] for item in look.every(CRONS)] == [1, 2, 3, 4]
    assert look.call.done()


@pytest.mark.parametrize('past_last_page', [[], [cron(1), cron(2), cron(3)]])
def test_a_full_last_page_ends_on_an_empty_page_or_the_same_page_again(past_last_page):
    page = [cron(1), cron(2), cron(3)]
    look = finder(('cron_list', {'page': 1}, page), ('cron_list', {'page': 2}, past_last_page))
    assert look.every(CRONS) == page
    assert look.call.done()


def test_repeats_across_pages_are_dropped():
    look = finder(
        ('cron_list', {'page': 1}, [cron(1), cron(2), cron(3)]),
        ('cron_list', {'page': 2}, [cron(3), cron(4)]),
    )
    assert [item['id'] for item in look.every(CRONS)] == [1, 2, 3, 4]


def test_a_listing_that_stays_full_past_max_pages_raises(monkeypatch):
    monkeypatch.setattr(_finder, 'MAX_PAGES', 2)
    look = finder(
        ('cron_list', {'page': 1}, [cron(1), cron(2), cron(3)]),
        ('cron_list', {'page': 2}, [cron(4), cron(5), cron(6)]),
    )
    with pytest.raises(EndlessListing) as raised:
        look.every(CRONS)
    assert str(raised.value) == (
        'cron_list: still full pages after 2 pages (6 objects); the listing does not end. '
        'Limit the task to a group, or ask FastCron about the listing.'
    )


def test_the_group_listing_asks_for_its_first_page_without_a_page_number():
    look = finder(
        ('group_items', {'id': 7}, [cron(1), cron(2), cron(3)]),
        ('group_items', {'id': 7, 'page': 2}, [cron(4)]),
    )
    assert [item['id'] for item in look.in_group(CRONS, 7)] == [1, 2, 3, 4]
    assert look.call.done()


def test_the_whole_listing_is_read_once_until_a_write_is_announced():
    look = finder(('cron_list', {'page': 1}, [cron(1)]), ('cron_list', {'page': 1}, [cron(1), cron(2)]))
    assert look.every(CRONS) == look.every(CRONS) == [cron(1)]
    look.forget()
    assert look.every(CRONS) == [cron(1), cron(2)]
    assert look.call.done()


def test_matching_reads_every_page_of_the_search_and_without_keyword_the_listing():
    look = finder(
        ('cron_list', {'keyword': 'a', 'page': 1}, [cron(1), cron(2), cron(3)]),
        ('cron_list', {'keyword': 'a', 'page': 2}, []),
        ('cron_list', {'page': 1}, [cron(1)]),
    )
    assert len(look.matching(CRONS, 'a')) == 3
    assert look.matching(CRONS) == [cron(1)]
    assert look.call.done()


# --- covering: the listing, or a look-up of each entry


def test_covering_a_small_account_reads_the_listing_and_keeps_it():
    look = finder(('cron_list', {'page': 1}, [cron(1, 'a'), cron(2, 'b')]))
    assert look.covering(CRONS, [2], ['a']) == [cron(1, 'a'), cron(2, 'b')]
    assert look.every(CRONS) == [cron(1, 'a'), cron(2, 'b')]  # kept: no request
    assert look.call.done()


def test_covering_a_big_account_looks_each_entry_up_once_the_pages_outnumber_them():
    # Two entries: after two full pages, one request each settles them.
    look = finder(
        ('cron_list', {'page': 1}, [cron(1), cron(2), cron(3)]),
        ('cron_list', {'page': 2}, [cron(4), cron(5), cron(6)]),
        ('cron_get', {'id': 9}, cron(9)),
        ('cron_list', {'page': 1, 'keyword': 'a'}, [cron(12, 'a'), cron(13, 'a-b')]),
    )
    assert look.covering(CRONS, [9], ['a']) == [cron(9), cron(12, 'a')]
    assert look.call.done()


def test_covering_falls_back_to_the_rest_of_the_listing_when_the_search_misses_a_name():
    look = finder(
        ('cron_list', {'page': 1}, [cron(1), cron(2), cron(3)]),
        ('cron_list', {'page': 1, 'keyword': 'new'}, []),
        ('cron_list', {'page': 2}, [cron(4)]),
    )
    assert [item['id'] for item in look.covering(CRONS, [], ['new'])] == [1, 2, 3, 4]
    assert look.call.done()


def test_look_up_cannot_tell_when_the_matches_fill_a_page():
    look = finder(('cron_list', {'page': 1, 'keyword': 'a'}, [cron(1, 'a'), cron(2, 'a-2'), cron(3, 'a-3')]))
    assert look.look_up(CRONS, [], ['a']) is None


def test_adopt_takes_exactly_one_of_each_name_and_says_which_are_missing():
    found = [cron(1, 'a'), cron(2, 'b'), cron(3, 'b')]
    assert finder().adopt(CRONS, ['a', 'b', 'c'], found) == ([cron(1, 'a')], "cronjobs 'b', 'c'")
