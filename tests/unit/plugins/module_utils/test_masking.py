# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The masking rule: what is a credential, and how each kind is shown."""

from __future__ import annotations

import json

import pytest

from ansible_collections.fastcron.cloud.plugins.module_utils._masking_text import mask_text, secret_values
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import (
    MASK,
    mask_change,
    mask_fields,
    mask_option,
)


def test_password_and_token_are_masked_whole():
    assert mask_option('password', 'hunter2') == MASK
    assert mask_option('api_token', 'abcdef0123') == MASK
    assert mask_option('password', '') == ''  # nothing hidden, nothing to mask
    assert mask_option('password', None) is None


@pytest.mark.parametrize(
    'url, shown',
    [
        (
            'https://user:pw@host.example/path?api_key=k1&team=ops',
            'https://user:%s@host.example/path?api_key=%s&team=ops' % (MASK, MASK),
        ),
        (
            'https://host.example/path?team=ops&access_token=t#frag',
            'https://host.example/path?team=ops&access_token=%s#frag' % MASK,
        ),
        ('https://host.example/cb#id_token=abc&state=1', 'https://host.example/cb#id_token=%s&state=1' % MASK),
        ('https://u:p@ss@host.example/', 'https://u:%s@host.example/' % MASK),  # an unencoded @ in the password
        ('https://user@host.example/', 'https://user@host.example/'),
        (
            'https://host.example/path?Session=1&SIGNATURE=2',
            'https://host.example/path?Session=%s&SIGNATURE=%s' % (MASK, MASK),
        ),
    ],
)
def test_url_credentials_are_masked_in_place(url, shown):
    assert mask_option('url', url) == shown


@pytest.mark.parametrize(
    'url',
    [
        'https://host.example/path?team=ops&page=2',
        'http://host.example:8080/a/b;c?x=&y#z',
        'https://host.example/',
    ],
)
def test_a_url_without_credentials_is_left_untouched(url):
    assert mask_option('url', url) is url or mask_option('url', url) == url


@pytest.mark.parametrize(
    'name',
    [
        'Authorization',
        'authorization',
        'PROXY-AUTHORIZATION',
        'Cookie',
        'X-Api-Key',
        'x-auth-token',
        'X-SESSION-ID',
        'X-Client-Secret',
        'X-Password',
        'Set-Cookie',
    ],
)
def test_credential_headers_in_any_case(name):
    shown = mask_option('http_headers', {name: 'Sup3r-s3cret-value', 'X-Team': 'ops'})
    assert shown[name] == MASK
    assert shown['X-Team'] == 'ops'


def test_the_scheme_of_an_authorization_header_stays_shown():
    shown = mask_option(
        'http_headers',
        {'Authorization': 'Bearer abc.def', 'Proxy-Authorization': 'Basic dXNlcjpwdw==', 'X-Api-Key': 'word secret'},
    )
    assert shown == {'Authorization': 'Bearer ' + MASK, 'Proxy-Authorization': 'Basic ' + MASK, 'X-Api-Key': MASK}


def test_raw_header_lines_keep_their_form():
    text = 'Authorization: Bearer xyz\r\nX-Team: ops\r\nx-api-key:  k'
    assert mask_option('httpHeaders', text) == 'Authorization: Bearer %s\r\nX-Team: ops\r\nx-api-key:  %s' % (
        MASK,
        MASK,
    )


@pytest.mark.parametrize('short', ['1', 'ab', 'x1y'])
def test_short_values_are_masked_by_their_field_and_never_searched_for(short):
    assert mask_option('password', short) == MASK
    assert mask_option('http_headers', {'X-Api-Key': short}) == {'X-Api-Key': MASK}
    assert mask_option('post_data', 'team=ops&secret=%s' % short) == 'team=ops&secret=' + MASK
    # In free text a short value would match ids and numbers: it is not searched for.
    assert secret_values({'password': short}) == set()
    assert mask_text('cronjob 1 ab x1y', secret_values({'password': short})) == 'cronjob 1 ab x1y'


def test_form_post_data():
    assert mask_option('post_data', 'team=ops&secret=s3&client_token=t') == 'team=ops&secret=%s&client_token=%s' % (
        MASK,
        MASK,
    )
    assert mask_option('post_data', 'team=ops&mode=full') == 'team=ops&mode=full'


def test_json_post_data_top_level_and_nested():
    body = json.dumps(
        {'team': 'ops', 'api_key': 'k-123', 'n': 3, 'auth': {'user': 'a', 'pass': 'b'}, 'items': [{'token': 't'}]}
    )
    shown = json.loads(mask_option('post_data', body))
    assert shown == {'team': 'ops', 'api_key': MASK, 'n': 3, 'auth': MASK, 'items': [{'token': MASK}]}
    plain = '{"full": false}'
    assert mask_option('post_data', plain) == plain


def test_malformed_json_post_data_is_still_masked():
    assert mask_option('post_data', '{"team": "ops", "secret": "s3",}') == '{"team": "ops", "secret": "%s",}' % MASK


def test_payload_as_dict_or_string():
    assert mask_option('payload', {'shop': 'eu', 'signature': 'abc'}) == {'shop': 'eu', 'signature': MASK}
    assert mask_option('payload', 'shop=eu&token=abc') == 'shop=eu&token=' + MASK


def test_other_options_are_shown_as_they_are():
    assert mask_option('username', 'cron') == 'cron'
    assert mask_option('name', 'token=abc') == 'token=abc'


def test_whole_objects_in_snake_and_camel_case_and_batch_entries():
    api = {
        'id': 7,
        'url': 'https://u:p@h.example/x',
        'httpHeaders': 'Cookie: sid=1',
        'postData': 'secret=1',
        'timeout': 30,
    }
    assert mask_fields(api) == {
        'id': 7,
        'url': 'https://u:%s@h.example/x' % MASK,
        'httpHeaders': 'Cookie: ' + MASK,
        'postData': 'secret=' + MASK,
        'timeout': 30,
    }
    params = {
        'api_token': 'tok-123456',
        'crons': [{'name': 'a', 'password': 'pw', 'http_headers': {'X-Api-Key': 'k'}}],
        'purge': 'maybe',
    }
    assert mask_fields(params) == {
        'api_token': MASK,
        'crons': [{'name': 'a', 'password': MASK, 'http_headers': {'X-Api-Key': MASK}}],
        'purge': 'maybe',
    }
    assert params['crons'][0]['password'] == 'pw'  # the real values are left alone


def test_a_rotated_secret_says_changed_without_either_value():
    before = {
        'http_headers': {'authorization': 'Bearer old-1', 'x-team': 'ops'},
        'url': 'https://u:old@h.example/p?api_key=old&team=ops',
        'post_data': 'team=ops&secret=old',
    }
    after = {
        'http_headers': {'authorization': 'Bearer new-2', 'x-team': 'ops'},
        'url': 'https://u:new@h.example/p?api_key=new&team=ops',
        'post_data': 'team=ops&secret=new',
    }
    shown_before, shown_after = mask_change(before, after)
    assert shown_before['http_headers'] == {'authorization': 'Bearer ' + MASK, 'x-team': 'ops'}
    assert shown_after['http_headers'] == {'authorization': 'Bearer %s (changed)' % MASK, 'x-team': 'ops'}
    assert shown_after['url'] == 'https://u:%s (changed)@h.example/p?api_key=%s (changed)&team=ops' % (MASK, MASK)
    assert shown_after['post_data'] == 'team=ops&secret=%s (changed)' % MASK
    assert 'old' not in repr((shown_before, shown_after)) and 'new' not in repr((shown_before, shown_after))


def test_an_unchanged_secret_beside_a_change_is_not_marked():
    before = {'url': 'https://h.example/a?api_key=same'}
    after = {'url': 'https://h.example/b?api_key=same'}
    assert mask_change(before, after) == (
        {'url': 'https://h.example/a?api_key=' + MASK},
        {'url': 'https://h.example/b?api_key=' + MASK},
    )


def test_a_password_sent_again_is_said_not_shown():
    assert mask_change({}, {'password': '(changed)'}) == ({}, {'password': '(changed)'})
    assert mask_change({}, {'password': 'real-one'}) == ({}, {'password': MASK})


def test_free_text_echoing_a_url_headers_or_known_secrets():
    params = {
        'url': 'https://u:pw-999@h.example/p?api_key=key-777&team=ops',
        'post_data': 'secret=form-555',
        'http_headers': {'X-Custom': 'not-secret', 'Authorization': 'Bearer tok-444'},
    }
    message = (
        "FastCron API function cron_add failed with code 20: Invalid value for parameter 'url': "
        "https://u:pw-999@h.example/p?api_key=key-777&team=ops; got {'Authorization': 'Bearer tok-444'}; body form-555"
    )
    shown = mask_text(message, secret_values(params))
    for secret in ('pw-999', 'key-777', 'tok-444', 'form-555'):
        assert secret not in shown
    assert 'https://u:%s@h.example/p?api_key=%s&team=ops' % (MASK, MASK) in shown
    assert "'Authorization': 'Bearer %s'" % MASK in shown


def test_free_text_without_credentials_is_untouched():
    message = 'crons[1]: timeout must be between 5 and 7200, got 1. See https://h.example/docs?page=2.'
    assert mask_text(message) == message


def test_secret_values_are_collected_linearly_from_entries():
    entries = [
        {'password': 'password-%05d' % n, 'http_headers': {'Authorization': 'Bearer token-%05d' % n}}
        for n in range(2000)
    ]
    found = secret_values({'crons': entries})
    assert 'password-01999' in found and 'Bearer token-01999' not in found and 'token-01999' in found
