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
      - How many times to retry a request that failed with a 5xx status other than 503, or was left
        without an answer; from V(0) to V(100).
      - A refusal by the rate limit (HTTP 503) does not use up a retry; it is waited out within
        O(api_retry_timeout).
      - A request that the service may have carried out is sent again only when that is
        harmless (edits, deletes, reads), never a create.
      - Waits grow exponentially with jitter; a C(Retry-After) header is honoured. A refused
        connection is retried sooner (waits of at most 2 seconds). A host name that does not exist
        is not retried; a resolver that fails for the moment is.
    type: int
    default: 5
  api_retry_max_delay:
    description:
      - The longest single wait between two retries, in seconds, from V(0) to V(3600).
      - Also the longest a C(Retry-After) header holds the next request.
    type: int
    default: 30
  api_retry_timeout:
    version_added: 0.2.0
    description:
      - Seconds one API call may spend waiting out refusals (HTTP 503) and retries, from V(0) to
        V(86400). No retry starts past it, and the task then fails saying how long it waited and
        how many refusals it saw. V(0) retries nothing.
      - If not set, the value of the E(FASTCRON_API_RETRY_TIMEOUT) environment variable is used.
    type: int
    default: 300
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
    lock file, and starts a second after the previous answer, so runs stay under the limit
    instead of being refused.
  - The lock files live in a private folder of the user in the temporary directory, or in the
    folder named by the E(FASTCRON_STATE_DIR) environment variable, which controllers (for
    example AWX execution nodes that mount one volume) can share, also under different user ids
    of one group. A refusal (HTTP 503) from another controller's requests slows this
    controller's pace, with jitter, until answers are accepted again.
  - A connection failure names its cause (host name not found, connection refused, timed out,
    TLS, proxy), the number of attempts and the time they took.
  - When an API call fails, the task fails with a message naming the API function, the API's
    error code and its message; the result also carries them as C(api_function), C(api_code),
    C(api_message) and C(http_status).
  - The connection options can be set once for all modules with
    C(module_defaults) and the action group C(group/fastcron.cloud.fastcron).
'''

    # How a state module finds its object; mirrors StateRun.options().
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
