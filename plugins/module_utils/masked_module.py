# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AnsibleModule whose own outputs show the module arguments with their credentials masked.

Ansible masks a no-log value only once it is registered, scans every output
string for every registered value, and writes its log line and its option
errors from the raw arguments. Here the arguments are masked by the rule of
``masking.py`` instead, field by field and in linear time, in the log line to
syslog or journald, in the invocation of every result (also when Ansible
itself refuses an option), in messages and in warnings.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fastcron.cloud.plugins.module_utils._masking_text import (
    MIN_TEXT_SECRET,
    mask_text,
    secret_values,
)
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import mask_fields

# Keys of a result holding free text that may echo what was sent.
MESSAGE_KEYS = ('msg', 'api_message')


class MaskedAnsibleModule(AnsibleModule):
    """An AnsibleModule that masks the credentials of its arguments in everything it writes itself."""

    _secrets = None

    def masked_args(self):
        """The module arguments as they may be shown."""
        return mask_fields(dict(getattr(self, 'params', None) or {}))

    def mask_text(self, text):
        """A message or warning with credentials masked, including any argument's secret it echoes."""
        if self._secrets is None:
            self._secrets = secret_values(getattr(self, 'params', None) or {})
        return mask_text(text, self._secrets)

    def _log_invocation(self):
        # The line Ansible writes, made from the masked arguments (Ansible's own scan of each value for
        # every no-log value and URL password is neither needed nor linear); no-log options are left out.
        log_args = {}
        for name, value in self.masked_args().items():
            spec = self.argument_spec.get(self.aliases.get(name, name), {})
            if self.boolean(spec.get('no_log')):
                log_args[name] = 'NOT_LOGGING_PARAMETER'
            else:
                log_args[name] = value if isinstance(value, str) else str(value)
        msg = ' '.join('%s=%s' % item for item in log_args.items())
        self.log('Invoked with %s' % msg if msg else 'Invoked', log_args=log_args)

    def warn(self, warning, *args, **kwargs):
        super().warn(self.mask_text(warning), *args, **kwargs)

    def exit_json(self, **kwargs):
        super().exit_json(**self._shown(kwargs))

    def fail_json(self, msg, **kwargs):  # pylint: disable=arguments-differ
        kwargs['msg'] = msg
        super().fail_json(**self._shown(kwargs))

    def _shown(self, kwargs):
        kwargs.setdefault('invocation', {'module_args': self.masked_args()})
        for key in MESSAGE_KEYS:
            if isinstance(kwargs.get(key), str):
                kwargs[key] = self.mask_text(kwargs[key])
        # A short secret registered by Ansible would blank its text everywhere (ids, numbers):
        # its field is masked here instead.
        self.no_log_values = {value for value in self.no_log_values if len(str(value)) >= MIN_TEXT_SECRET}
        return kwargs
