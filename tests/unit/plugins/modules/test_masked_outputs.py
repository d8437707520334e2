# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the modules write about cronjobs that carry credentials: the log line, the result,
the diff, the invocation, the messages; compared with the real values all the same."""

from __future__ import annotations

from ansible.module_utils import basic
from ansible.module_utils.common.warnings import get_warning_messages

from ansible_collections.fastcron.cloud.plugins.module_utils import masked_module
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import MASK
from ansible_collections.fastcron.cloud.plugins.modules import (
    fastcron_cron,
    fastcron_cron_batch,
    fastcron_cron_info,
    fastcron_cron_pause,
    fastcron_cron_run,
)
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.objects import cron

SECRETS = ('pw-0001-secret', 'url-0001-secret', 'key-0001-secret', 'tok-0001-secret', 'form-0001-secret')
URL = 'https://cron:url-0001-secret@app.example.com/hooks/sync?api_key=key-0001-secret&team=ops'
SHOWN_URL = 'https://cron:%s@app.example.com/hooks/sync?api_key=%s&team=ops' % (MASK, MASK)
HEADERS = {'Authorization': 'Bearer tok-0001-secret', 'X-Team': 'ops'}
POST_DATA = 'team=ops&secret=form-0001-secret'


def stored(cron_id, name, url=URL, token='tok-0001-secret', secret='form-0001-secret'):
    """The cronjob as the service holds it."""
    return cron(
        cron_id,
        name,
        url=url,
        httpHeaders='Authorization: Bearer %s\r\nX-Team: ops' % token,
        httpMethod='POST',
        postData='team=ops&secret=%s' % secret,
    )


def assert_no_secret(*outputs):
    text = repr(outputs)
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, leaked


def capture_log(monkeypatch):
    logged = []
    monkeypatch.setattr(basic.AnsibleModule, 'log', lambda self, msg, log_args=None: logged.append((msg, log_args)))
    return logged


def capture_no_log_values(monkeypatch):
    """The no-log values each module run hands to Ansible's scan of its output."""
    seen = []
    shown = masked_module.MaskedAnsibleModule._shown

    def spy(self, kwargs):
        result = shown(self, kwargs)
        seen.append(set(self.no_log_values))
        return result

    monkeypatch.setattr(masked_module.MaskedAnsibleModule, '_shown', spy)
    return seen


def batch_entry(number):
    return dict(
        name='job-%d' % number,
        url=URL,
        http_method='POST',
        post_data=POST_DATA,
        http_headers=HEADERS,
        password='pw-0001-secret',
        username='cron',
    )


def test_the_log_line_of_a_batch_masks_passwords_and_credential_headers(run_module, monkeypatch):
    logged = capture_log(monkeypatch)
    no_log_values = capture_no_log_values(monkeypatch)
    crons = [batch_entry(number) for number in range(3)]
    made = [stored(1100 + number, 'job-%d' % number) for number in range(3)]
    result, api = run_module(fastcron_cron_batch.main, {'crons': crons}, [('cron_list', []), ('cron_batch_add', made)])
    assert (result['failed'], result['changed']) == (False, True)
    # The real values were sent.
    assert api.calls[1][1]['data'][0]['password'] == 'pw-0001-secret'
    assert api.calls[1][1]['data'][0]['httpHeaders'] == 'Authorization: Bearer tok-0001-secret\r\nX-Team: ops'
    invoked = [msg for msg, dummy in logged if msg.startswith('Invoked with')]
    assert len(invoked) == 1
    assert_no_secret(logged, result)
    assert (
        SHOWN_URL in invoked[0]
        and "'Authorization': 'Bearer %s'" % MASK in invoked[0]
        and "'X-Team': 'ops'" in invoked[0]
    )
    assert 'api_token=NOT_LOGGING_PARAMETER' in invoked[0]
    # Shown in place: the rest of each cronjob is there.
    assert result['crons'][0]['url'] == SHOWN_URL
    assert result['crons'][0]['http_headers'] == 'Authorization: Bearer %s\r\nX-Team: ops' % MASK
    assert result['crons'][0]['post_data'] == 'team=ops&secret=' + MASK
    assert result['diff']['after']['job-0']['http_headers'] == {'authorization': 'Bearer ' + MASK, 'x-team': 'ops'}
    assert result['invocation']['module_args']['crons'][0]['password'] == MASK
    # No value per entry is handed to Ansible's quadratic scan: only the token.
    assert no_log_values == [{'0123456789abcdef0123456789abcdef'}]


def test_a_batch_no_op_with_secrets_converges_and_shows_none(run_module):
    crons = [batch_entry(number) for number in range(2)]
    listing = [stored(1100 + number, 'job-%d' % number) for number in range(2)]
    result, api = run_module(fastcron_cron_batch.main, {'crons': crons}, [('cron_list', listing)])
    assert (result['failed'], result['changed']) == (False, False)
    assert api.functions == ['cron_list']
    assert_no_secret(result)


def test_a_rotated_secret_is_a_change_whose_diff_shows_neither_value(run_module):
    crons = [
        dict(
            batch_entry(0),
            http_headers={'Authorization': 'Bearer tok-0002-secret', 'X-Team': 'ops'},
            update_password='always',
        )
    ]
    listing = [stored(1100, 'job-0')]
    rotated = stored(1100, 'job-0', token='tok-0002-secret')
    result, api = run_module(
        fastcron_cron_batch.main, {'crons': crons}, [('cron_list', listing), ('cron_edit', rotated)]
    )
    assert result['changed'] is True
    assert api.calls[1][1]['httpHeaders'] == 'Authorization: Bearer tok-0002-secret\r\nX-Team: ops'
    assert result['diff']['before']['job-0'] == {'http_headers': {'authorization': 'Bearer ' + MASK, 'x-team': 'ops'}}
    assert result['diff']['after']['job-0'] == {
        'http_headers': {'authorization': 'Bearer %s (changed)' % MASK, 'x-team': 'ops'},
        'password': '(changed)',
    }
    assert 'tok-0002-secret' not in repr(result)
    assert_no_secret(result)


def test_ansible_refusing_an_option_shows_the_invocation_masked(run_module, monkeypatch):
    logged = capture_log(monkeypatch)
    result, api = run_module(fastcron_cron_batch.main, {'crons': [batch_entry(0)], 'purge': 'maybe'})
    assert result['failed'] is True and 'purge' in result['msg']
    assert api.calls == []
    assert result['invocation']['module_args']['purge'] == 'maybe'
    assert result['invocation']['module_args']['crons'][0]['url'] == SHOWN_URL
    assert_no_secret(result, logged)


def test_a_bad_entry_fails_with_its_option_named_and_no_secret(run_module):
    result, _api = run_module(fastcron_cron_batch.main, {'crons': [dict(batch_entry(0), timeout=1)]})
    assert result['failed'] is True and 'crons[0]: timeout must be between 5 and 7200' in result['msg']
    assert_no_secret(result)


def test_an_api_error_echoing_the_url_is_masked(run_module):
    echo = "Invalid value for parameter 'url': %s is not reachable (Authorization: Bearer tok-0001-secret)" % URL
    script = [('cron_list', []), ('cron_list', []), ('cron_add', (20, echo))]
    args = dict(name='sync', url=URL, http_headers=HEADERS, post_data=POST_DATA, http_method='POST')
    result, _dummy = run_module(fastcron_cron.main, args, script)
    assert result['failed'] is True and result['api_code'] == 20
    assert SHOWN_URL in result['msg'] and SHOWN_URL in result['api_message']
    assert 'Bearer ' + MASK in result['msg']
    assert_no_secret(result)


def test_a_single_cronjob_update_password_always_and_a_rotated_url_secret(run_module):
    current = stored(132, 'sync')
    new_url = URL.replace('key-0001-secret', 'key-0002-secret')
    args = dict(name='sync', url=new_url, http_headers=HEADERS, password='pw-0001-secret', update_password='always')
    script = [('cron_list', [current]), ('cron_edit', dict(current, url=new_url))]
    result, api = run_module(fastcron_cron.main, args, script)
    assert result['changed'] is True
    assert api.calls[1][1] == {'id': 132, 'url': new_url, 'password': 'pw-0001-secret'}
    assert result['diff']['before'] == {'url': SHOWN_URL}
    assert result['diff']['after'] == {
        'url': SHOWN_URL.replace('api_key=%s' % MASK, 'api_key=%s (changed)' % MASK),
        'password': '(changed)',
    }
    assert 'key-0002-secret' not in repr(result)
    assert_no_secret(result)


def test_a_short_password_is_masked_without_blanking_ids(run_module):
    current = cron(132, 'sync', url='https://app.example.com/132')
    result, _dummy = run_module(
        fastcron_cron.main, {'name': 'sync', 'password': '1', 'username': 'cron'}, [('cron_list', [current])]
    )
    assert result['cron']['id'] == 132 and result['cron']['url'] == 'https://app.example.com/132'
    assert result['invocation']['module_args']['password'] == MASK


def test_run_and_pause_show_the_cronjob_and_the_payload_masked(run_module):
    current = stored(132, 'sync')
    result, _dummy = run_module(
        fastcron_cron_run.main,
        {'name': 'sync', 'payload': {'shop': 'eu', 'token': 'tok-0001-secret'}},
        [('cron_list', [current]), ('cron_run', 1796164200)],
    )
    assert result['cron']['url'] == SHOWN_URL
    assert result['invocation']['module_args']['payload'] == {'shop': 'eu', 'token': MASK}
    assert_no_secret(result)
    result, _dummy = run_module(
        fastcron_cron_pause.main,
        {'name': 'sync', 'for': '1 hour'},
        [('cron_list', [current]), ('cron_pause', dict(current, status=5))],
    )
    assert result['cron']['url'] == SHOWN_URL and result['cron']['post_data'] == 'team=ops&secret=' + MASK
    assert_no_secret(result)


def test_the_info_module_returns_what_the_account_holds(run_module):
    result, _dummy = run_module(fastcron_cron_info.main, {}, [('cron_list', [stored(132, 'sync')])])
    assert result['crons'][0]['url'] == URL


def test_warnings_are_masked(monkeypatch):
    monkeypatch.setattr(basic.AnsibleModule, 'log', lambda self, msg, log_args=None: None)
    module = masked_module.MaskedAnsibleModule.__new__(masked_module.MaskedAnsibleModule)
    module.params = {'crons': [batch_entry(0)]}
    module.warn('crons[0]: %s answered slowly; Authorization: Bearer tok-0001-secret' % URL)
    warned = [text for text in get_warning_messages() if 'answered slowly' in text]
    assert warned == ['crons[0]: %s answered slowly; Authorization: Bearer %s' % (SHOWN_URL, MASK)]
