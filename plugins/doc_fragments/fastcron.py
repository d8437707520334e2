# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Connection options shared by every module; mirrors fastcron_argument_spec().
    DOCUMENTATION = r'''
options:
  api_token:
    description:
      - The FastCron API token from the Profile page of the account.
      - If not set, the value of the E(FASTCRON_API_TOKEN) environment variable is used.
      - The token is sent in the C(Authorization) header and the request body, never in a URL.
      - It must be printable ASCII without spaces or line breaks.
    type: str
    aliases: [ token ]
  api_url:
    description:
      - Base URL of the FastCron API; the API function name is appended to it.
      - If not set, the value of the E(FASTCRON_API_URL) environment variable is used,
        else C(https://www.fastcron.com/api/v1).
    type: str
  api_timeout:
    description:
      - Seconds to wait for one HTTP request to answer, from V(1) to V(3600).
    type: int
    default: 30
  api_retries:
    description:
      - How many times to retry a request refused by the rate limit (HTTP 503), failed with
        another 5xx status, or left without an answer; from V(0) to V(100).
      - A request that the service may have carried out is sent again only when that is
        harmless (edits, deletes, reads), never a create.
      - Waits grow exponentially with jitter; a C(Retry-After) header is honoured.
    type: int
    default: 5
  api_retry_max_delay:
    description:
      - The longest single wait between two retries, in seconds, from V(0) to V(3600).
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API.
      - Set to V(false) only for a local test endpoint. It holds even where
        E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) is set.
    type: bool
    default: true
requirements:
  - requests
notes:
  - The modules run on the controller; use O(ignore:delegate_to=localhost) or a play on C(localhost).
  - FastCron allows one API request per second per account. Every process that uses the same
    token and API URL on the controller, including parallel forks, waits its turn through a
    lock file in the temporary directory of the user, and starts a second after the previous
    answer, so runs stay under the limit instead of being refused.
  - When an API call fails, the task fails with a message naming the API function, the API's
    error code and its message; the result also carries them as C(api_function), C(api_code),
    C(api_message) and C(http_status).
  - The connection options can be set once for all modules with
    C(module_defaults) and the action group C(group/fastcron.cloud.fastcron).
'''

    # How a state module finds its object; mirrors StateModule.options().
    # The cronjob an action module acts on.
    TARGET = r'''
options:
  name:
    description:
      - Name of the cronjob. When two cronjobs share it, the module fails and lists their ids.
    type: str
  id:
    description:
      - ID of the cronjob.
    type: int
'''

    IDENTITY = r'''
options:
  name:
    description:
      - Name of the object. It identifies the object when O(id) is not given.
      - FastCron does not keep names unique. When two objects share the name, the module
        fails and lists their ids, so that O(id) can choose one.
      - Together with O(id), the object is renamed to O(name).
    type: str
  id:
    description:
      - ID of the object. An object cannot be created with a chosen ID, so with
        O(state=present) it must exist.
    type: int
'''
