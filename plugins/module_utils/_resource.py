# -*- coding: utf-8 -*-
# Copyright (c) fastcron.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a FastCron resource is: its API functions, its fields and toggles, and the
comparison of an object with the options that describe it.

Types and pure functions only, no I/O. The resources themselves are declared
in ``resources.py``; the normal forms of their fields are in ``_normal.py``.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.fastcron.cloud.plugins.module_utils._normal import _integer, _same, _text
from ansible_collections.fastcron.cloud.plugins.module_utils.masking import SENT_AGAIN

# What a write does when its answer is lost (the service may have acted):
RESEND = 'resend'  # harmless to repeat: send it again
NEVER_RESEND = 'never resend'  # a create or a run: never twice
CONFIRM_ABSENT = 'confirm absent'  # a delete: send again, then a look-up decides


class Operation(namedtuple('Operation', 'function policy')):
    """One API function that writes, with its policy for a lost answer."""

    def __new__(cls, function, policy=RESEND):
        return super().__new__(cls, function, policy)


class Field(
    namedtuple('Field', 'option api normalise prepare export write_only read_only reference equal clear_again')
):
    """One option of a resource and the API field behind it.

    ``prepare`` turns the option value into what the API takes, ``normalise``
    turns either side into the form that is compared, ``export`` turns an API
    value back into an option value; ``equal(stored, sent)``, when given,
    compares instead of the normal forms (for a rewrite that is not symmetric).
    A ``write_only`` field is never read back: it is sent on create, and on
    update only when ``update_<option>`` is ``always``. A ``read_only`` field
    is shown, never set. A ``reference`` field names another resource by name
    or id. ``clear_again`` is the value sent to clear the field when the
    service kept it after a ``null``.
    """

    def __new__(
        cls,
        option,
        api=None,
        normalise=_text,
        prepare=_same,
        export=_same,
        write_only=False,
        read_only=False,
        reference=None,
        equal=None,
        clear_again=None,
    ):
        return super().__new__(
            cls, option, api or option, normalise, prepare, export, write_only, read_only, reference, equal, clear_again
        )

    def matches(self, stored, sent):
        """Whether the value the service holds is the one sent, as far as the service may rewrite it."""
        if self.equal is not None:
            return self.equal(stored, sent)
        return self.normalise(stored) == self.normalise(sent)


class Toggle(namedtuple('Toggle', 'option api on off on_value off_value verbs names')):
    """A state set by an action of its own, such as enabling a cronjob.

    It reads ``api`` of an object: ``on_value`` is on, ``off_value`` is off, and
    any other value is neither (a pause, an expired account), so that either
    wish is a change.
    """

    def value(self, obj):
        """True, False, or None for neither (also when the object does not carry the field)."""
        raw = _integer(obj.get(self.api))
        return {self.on_value: True, self.off_value: False}.get(raw)

    def api_value(self, wanted):
        return self.api, self.on_value if wanted else self.off_value

    def verb(self, wanted):
        return self.verbs[0] if wanted else self.verbs[1]

    def describe(self, obj):
        raw = _integer(obj.get(self.api))
        return '%s %s (%s)' % (self.api, raw, self.names.get(raw, 'not documented'))


class Paging:
    """How the listings of a resource come: in pages of up to ``size`` objects.

    ``numbered`` names the listing functions whose reference shows a ``page``
    parameter: their first page is asked for with ``page: 1``; any other
    listing's first page is asked for as its reference shows it, without one.
    """

    def __init__(self, size, numbered=()):
        self.size = size
        self.numbered = tuple(numbered)


class Resource(
    namedtuple(
        'Resource',
        'kind key get_function list_function search_function search_param search_finds_ids group_function paging '
        'add edit delete fields toggles batch_add batch_delete',
    )
):
    """A kind of FastCron object: its API functions, how its listings come, and its field table.

    ``get_function`` reads one object by id, ``list_function`` every object;
    ``search_function`` finds objects by the ``search_param`` (a loose match:
    only exact names are kept), and ``search_finds_ids`` says whether it also
    matches ids. ``group_function`` lists the objects of one group by its id.
    ``paging`` (a Paging) says that the listings come in pages, the search's
    too; None, that each comes in one answer.
    """

    def __new__(
        cls,
        kind,
        key,
        get_function=None,
        list_function=None,
        search_function=None,
        search_param=None,
        search_finds_ids=False,
        group_function=None,
        paging=None,
        add=None,
        edit=None,
        delete=None,
        fields=(),
        toggles=(),
        batch_add=None,
        batch_delete=None,
    ):
        return super().__new__(
            cls,
            kind,
            key,
            get_function,
            list_function,
            search_function,
            search_param,
            search_finds_ids,
            group_function,
            paging,
            add,
            edit,
            delete,
            tuple(fields),
            tuple(toggles),
            batch_add,
            batch_delete,
        )

    def requested_fields(self, params):
        """The fields the user set, as {Field: option value}; left out is not "set to empty"."""
        return {
            field: params[field.option]
            for field in self.fields
            if not field.read_only and params.get(field.option) is not None
        }

    def compare(self, current, requested):
        """What must change to go from the ``current`` API object to the ``requested`` fields.

        Returns (changes, before, after): ``changes`` maps API names to the values
        to send; ``before`` and ``after`` map option names of the fields that differ
        to their normal forms. A field the service did not return cannot be
        verified and is not compared, and a write-only field never is.
        """
        changes, before, after = {}, {}, {}
        for field, value in requested.items():
            if field.write_only or field.api not in current:
                continue
            want = field.prepare(value)
            if not field.matches(current[field.api], want):
                changes[field.api] = want
                before[field.option] = field.normalise(current[field.api])
                after[field.option] = field.normalise(want)
        return changes, before, after

    @staticmethod
    def unverifiable(current, requested):
        """The options of ``requested`` that cannot be compared: the ``current`` object lacks their field."""
        return [field.option for field in requested if not field.write_only and field.api not in current]

    def field(self, api):
        return next((field for field in self.fields if field.api == api), None)

    def check_answer(self, answer, sent):
        """How a write's ``answer`` compares with the API parameters ``sent``: (took, kept, unknown).

        ``took``: the fields whose sent value the answer shows, and the write-only
        ones (never read back); ``kept``: {field: value shown} for those it shows
        with another value; ``unknown``: the fields it does not carry.
        """
        took, kept, unknown = [], {}, []
        answer = answer if isinstance(answer, dict) else {}
        for api, value in sent.items():
            field = self.field(api)
            if field is None:
                continue
            if field.write_only:
                took.append(field)
            elif api not in answer:
                unknown.append(field)
            elif field.matches(answer[api], value):
                took.append(field)
            else:
                kept[field] = answer[api]
        return took, kept, unknown

    def observed(self, after, answer):
        """A diff's ``after`` as the ``answer`` shows it: each option it carries but a write-only one, normalised."""
        observed = dict(after)
        for field in self.fields:
            if field.option in observed and field.api in answer and not field.write_only:
                observed[field.option] = field.normalise(answer[field.api])
        for toggle in self.toggles:
            if toggle.option in observed and toggle.api in answer:
                observed[toggle.option] = toggle.value(answer)
        return observed

    def changes_to(self, current, requested, params):
        """What takes ``current`` to ``params``: (changes, toggles, before, after).

        As compare(), plus the write-only fields that ``update_<option>: always``
        sends again, and the toggles to switch as [(toggle, wanted value)].
        """
        changes, before, after = self.compare(current, requested)
        for field, value in requested.items():
            if field.write_only and params.get('update_%s' % field.option) == 'always':
                changes[field.api] = field.prepare(value)
                after[field.option] = SENT_AGAIN  # said in the diff, never the value
        toggles = self.switches(params, current)
        for toggle, wanted in toggles:
            before[toggle.option], after[toggle.option] = toggle.value(current), wanted
        return changes, toggles, before, after

    def switches(self, params, current):
        """The toggles ``params`` sets that ``current`` (None: a new object) is not at, as [(toggle, wanted)]."""
        return [
            (toggle, params[toggle.option])
            for toggle in self.toggles
            if params.get(toggle.option) is not None
            and (current is None or toggle.value(current) != params[toggle.option])
        ]

    @staticmethod
    def predict(current, changes, toggles):
        """The object after ``changes`` and ``toggles``, as check mode reports it."""
        return dict(current, **dict([toggle.api_value(wanted) for toggle, wanted in toggles], **changes))

    def creation(self, requested):
        """The API parameters of a create, and the option view of them for the diff."""
        body, view = {}, {}
        for field, value in requested.items():
            body[field.api] = field.prepare(value)
            if not field.write_only:
                view[field.option] = field.normalise(body[field.api])
        return body, view

    def view(self, obj):
        """An API object as option names and normal forms, for a diff."""
        view = {
            field.option: field.normalise(obj[field.api])
            for field in self.fields
            if not field.write_only and field.api in obj
        }
        for toggle in self.toggles:
            view[toggle.option] = toggle.value(obj)
        return view

    def as_options(self, obj):
        """An API object as module options: only settable fields the service returned."""
        options = {
            field.option: field.export(obj[field.api])
            for field in self.fields
            if not (field.write_only or field.read_only) and field.api in obj
        }
        for toggle in self.toggles:
            if toggle.value(obj) is not None:
                options[toggle.option] = toggle.value(obj)
        return options

    def public(self, obj):
        """The API object as returned to the user: never a password; a toggle's field named, its option given."""
        if obj is None:
            return {}
        public = {key: value for key, value in obj.items() if key != 'password'}
        for toggle in self.toggles:
            if toggle.api in obj:
                raw = _integer(obj[toggle.api])
                public['%s_name' % toggle.api] = toggle.names.get(raw, 'unknown')
                public[toggle.option] = toggle.value(obj)
        return public
