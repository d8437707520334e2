# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The FastCron resources: their API functions, how their listings come, their fields.

Declarations only, no I/O; what a resource is, and how an object is compared
with its options, is in ``_resource.py``. ``fastcron.py`` runs modules over these
declarations and the look-ups of ``_finder.py`` read them; a module names the
resource it manages and adds only what is particular to it.
"""

from __future__ import annotations

from ansible_collections.fastcron.cloud.plugins.module_utils._normal import (
    _boolean,
    _folded,
    _integer,
    _reference,
    _same_url,
    _stripped,
    _upper,
    _url,
    headers_to_text,
    parse_headers,
)
from ansible_collections.fastcron.cloud.plugins.module_utils._resource import (
    CONFIRM_ABSENT,
    NEVER_RESEND,
    RESEND,
    Field,
    Operation,
    Paging,
    Resource,
    Toggle,
)

# Cronjob status values of the vendor's 2024 reference; the current one says only
# that 0 means active. Any other value is reported as it comes.
STATUS_NAMES = {0: 'active', 1: 'disabled', 2: 'expired', 3: 'inactive', 4: 'failed'}
STATUS_ACTIVE, STATUS_DISABLED = 0, 1
# cron_list answers up to this many cronjobs a page (the API reference).
CRON_LIST_PAGE_SIZE = 1000


GROUP = Resource(
    kind='group',
    key='group',
    get_function='group_get',
    list_function='group_list',
    search_function='group_lookup',
    search_param='name',
    add=Operation('group_add', NEVER_RESEND),
    edit=Operation('group_edit', RESEND),
    delete=Operation('group_delete', CONFIRM_ABSENT),
    fields=(Field('name'), Field('job_count', 'jobCount', normalise=_integer, read_only=True)),
)

CRON = Resource(
    kind='cronjob',
    key='cron',
    get_function='cron_get',
    list_function='cron_list',
    # The keyword search matches names, ids and URLs.
    search_function='cron_list',
    search_param='keyword',
    search_finds_ids=True,
    # group_items documents no page; it is read as cron_list is, in case the service pages it.
    group_function='group_items',
    paging=Paging(CRON_LIST_PAGE_SIZE, numbered=('cron_list',)),
    add=Operation('cron_add', NEVER_RESEND),
    edit=Operation('cron_edit'),
    delete=Operation('cron_delete', CONFIRM_ABSENT),
    batch_add=Operation('cron_batch_add', NEVER_RESEND),
    batch_delete=Operation('cron_batch_delete', CONFIRM_ABSENT),
    fields=(
        Field('name'),
        # The service may write the host in other case, and append a timestamp parameter (an account setting).
        Field('url', normalise=_url, prepare=str.strip, equal=_same_url),
        Field('expression', normalise=_folded, prepare=_folded),
        Field('timezone', normalise=_stripped, prepare=str.strip),
        Field('delay', normalise=_integer),
        Field('timeout', normalise=_integer),
        Field('instances', normalise=_integer),
        Field('http_method', 'httpMethod', normalise=_upper, prepare=_upper, export=_upper),
        Field('post_data', 'postData'),
        Field(
            'http_headers',
            'httpHeaders',
            normalise=parse_headers,
            prepare=headers_to_text,
            export=lambda text: parse_headers(text, lower=False),
        ),
        Field('user_agent', 'userAgent'),
        Field('username'),
        Field('password', write_only=True),
        Field('notify', normalise=_boolean),
        Field('keyword'),
        # A null may be taken as "not given" (the reference does not say how a value is cleared); 0 is no group.
        Field('group', normalise=_reference, reference=GROUP, clear_again=0),
    ),
    # enabled: true is active (0), false is disabled (1). A pause, an expired account or a job
    # stopped by failures is neither, so either wish is a change.
    toggles=(
        Toggle(
            'enabled',
            'status',
            on=Operation('cron_enable'),
            off=Operation('cron_disable'),
            on_value=STATUS_ACTIVE,
            off_value=STATUS_DISABLED,
            verbs=('enabled', 'disabled'),
            names=STATUS_NAMES,
        ),
    ),
)

ACCOUNT = Resource(
    kind='account',
    key='account',
    get_function='account_get',
    edit=Operation('account_edit'),
    fields=(Field('timezone', normalise=_stripped, prepare=str.strip),),
)
