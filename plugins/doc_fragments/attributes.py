# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The attributes of a module that changes the account.
    STATE = r'''
attributes:
  check_mode:
    support: full
    description: Check mode makes no write call and predicts the result.
  diff_mode:
    support: full
    description: The diff shows before and after of the fields that change, never a secret.
'''

    # The attributes of a module that only reads.
    INFO = r'''
attributes:
  check_mode:
    support: full
    description: The module never writes; it runs the same in check mode.
  diff_mode:
    support: none
    description: The module changes nothing, so there is nothing to show.
'''
