# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the documentation asks of fastcron.cloud's version, galaxy.yml's version gives.

The execution environment definition, the guides and the README name the collection by a
version: a Galaxy requirement (``version: ">=0.2.0"``, ``fastcron.cloud:>=0.2.0``), the release
tarball (``fastcron-cloud-0.2.0.tar.gz``) or the repository at a release tag
(``git+https://github.com/fastcron-ansible/cloud.git,0.2.0``, or ``type: git`` with
``version: 0.2.0``). Each must be met by the version galaxy.yml gives the collection, so a
release that bumps galaxy.yml (docs/releasing.md) keeps the documentation installable, and the
documentation never asks for a version that has not been released.
"""

from __future__ import annotations

import os
import re

import yaml
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))

# The files where users read how to install the collection.
DOC_EXTENSIONS = ('.md', '.rst', '.yml', '.yaml', '.txt')
SKIPPED_FOLDERS = {'.git', 'build', 'tests', 'plugins', 'changelogs', 'scripts', '__pycache__'}

# The release tarball, by its name: fastcron-cloud-0.2.0.tar.gz.
TARBALL = re.compile(r'fastcron-cloud-(?P<version>[0-9][0-9A-Za-z.+-]*?)\.tar\.gz')
# The repository at a ref, as ansible-galaxy's git+URL,REF form writes it.
GIT_REF = re.compile(r'github\.com/fastcron-ansible/cloud(?:\.git)?,(?P<version>[0-9][^\s\'"`]*)')
# A clone of the repository at a tag: git clone --branch 0.2.0 https://github.com/fastcron-ansible/cloud.git.
GIT_CLONE = re.compile(r'--branch[ =](?P<version>[0-9][^\s\'"`]*)\s+\S*github\.com/fastcron-ansible/cloud')
# A Galaxy requirement written on one line: fastcron.cloud:>=0.2.0, fastcron.cloud>=0.2.0,<1.0.0.
OPERATOR = r'(?:==|!=|>=|<=|>|<)\s*[0-9][0-9A-Za-z.+-]*'
INLINE = re.compile(r'fastcron\.cloud\s*:?\s*(?P<spec>%s(?:\s*,\s*%s)*)' % (OPERATOR, OPERATOR))
# A requirement written as YAML, in a file or in a code block: the item's "name", then its keys.
NAME = re.compile(r'^(?P<indent>\s*(?:-\s+)?)name:\s*["\']?(?P<name>[^\s"\'#]+)["\']?\s*(?:#.*)?$')
KEY = re.compile(r'^\s*(?P<key>[A-Za-z_]+):\s*["\']?(?P<value>[^"\'#]*?)["\']?\s*(?:#.*)?$')


def galaxy_version():
    with open(os.path.join(COLLECTION_ROOT, 'galaxy.yml')) as handle:
        return yaml.safe_load(handle)['version']


def doc_files():
    """The documentation files of the collection, relative to its root."""
    for folder, folders, files in os.walk(COLLECTION_ROOT):
        folders[:] = sorted(name for name in folders if name not in SKIPPED_FOLDERS and not name.startswith('.venv'))
        for name in sorted(files):
            if name.endswith(DOC_EXTENSIONS) and name != 'CHANGELOG.rst':
                yield os.path.relpath(os.path.join(folder, name), COLLECTION_ROOT)


def names_the_collection(name):
    return name == 'fastcron.cloud' or 'fastcron-ansible/cloud' in name or TARBALL.search(name) is not None


def yaml_item_keys(lines, start, indent):
    """The keys of the YAML item whose ``name`` is on line ``start``: the lines after it at its keys' column."""
    column = len(indent)
    keys = {}
    after = start + 1
    for line in lines[after:]:
        stripped = line.lstrip()
        if not stripped or stripped.startswith('#'):
            continue
        if len(line) - len(stripped) != column or stripped.startswith('-'):
            break
        match = KEY.match(line)
        if match:
            keys[match.group('key')] = match.group('value').strip()
    return keys


def requirements_in(text):
    """Each requirement on the collection's version in a text: (line number, what it says, specifier)."""
    found = []
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        for match in TARBALL.finditer(line):
            found.append((number, match.group(0), '==' + match.group('version')))
        for pattern in (GIT_REF, GIT_CLONE):
            for match in pattern.finditer(line):
                found.append((number, match.group(0), '==' + match.group('version')))
        for match in INLINE.finditer(line):
            found.append((number, match.group(0), match.group('spec')))
        match = NAME.match(line)
        if match and names_the_collection(match.group('name')):
            keys = yaml_item_keys(lines, number - 1, match.group('indent'))
            version = keys.get('version', '')
            if version and version != '*':
                # A bare version (and a git ref, which a release tag is) means that version exactly.
                spec = version if re.match(r'[<>=!]', version) else '==' + version
                found.append((number, '%s %s' % (match.group('name'), version), spec))
    return found


def documented_requirements():
    requirements = []
    for path in doc_files():
        with open(os.path.join(COLLECTION_ROOT, path), encoding='utf-8') as handle:
            for number, said, spec in requirements_in(handle.read()):
                requirements.append(('%s:%d' % (path, number), said, spec))
    return requirements


def meets(version, spec):
    try:
        return Version(version) in SpecifierSet(spec.replace(' ', ''))
    except InvalidSpecifier:
        return False


def test_the_scan_reads_every_form_of_requirement():
    text = '\n'.join(
        [
            'dependencies:',
            '  galaxy:',
            '    collections:',
            '      - name: fastcron.cloud',
            '        version: ">=0.2.0,<1.0.0"',
            '      - name: https://github.com/fastcron-ansible/cloud.git',
            '        type: git',
            '        version: 0.3.0',
            '      - name: collections/fastcron-cloud-0.4.0.tar.gz',
            '        type: file',
            '      - name: community.general',
            '        version: ">=9.0.0"',
            '$ ansible-galaxy collection install fastcron.cloud:==0.5.0',
            '$ ansible-galaxy collection install git+https://github.com/fastcron-ansible/cloud.git,0.6.0',
            '$ git clone --branch 0.7.0 https://github.com/fastcron-ansible/cloud.git',
        ]
    )
    specs = [spec for _text, _line, spec in requirements_in(text)]
    assert specs == ['>=0.2.0,<1.0.0', '==0.3.0', '==0.4.0', '==0.5.0', '==0.6.0', '==0.7.0']
    assert meets('0.2.0', '>=0.2.0,<1.0.0')
    assert not meets('0.1.0', '>=0.2.0')
    assert not meets('0.2.0', '==0.3.0')


def test_the_documented_requirements_on_the_collection_are_met_by_galaxy_yml_s_version():
    version = galaxy_version()
    requirements = documented_requirements()
    # The execution environment definition and the AWX guide that shows it name the collection's version.
    where = {place.split(':')[0] for place, _what, _spec in requirements}
    assert {'docs/execution-environment.yml', 'docs/docsite/rst/awx.rst'} <= where, requirements
    unmet = {}
    for place, said, spec in requirements:
        if not meets(version, spec):
            path, line = place.split(':')
            unmet.setdefault('%s: %s (%s)' % (path, said, spec), []).append(line)
    unmet = ['%s, line %s' % (what, ', '.join(lines)) for what, lines in unmet.items()]
    assert not unmet, (
        'galaxy.yml gives fastcron.cloud the version %s, which these requirements in the documentation do not '
        'admit:\n  %s\nA release bumps galaxy.yml and COLLECTION_VERSION in plugins/module_utils/client.py to the '
        'version the documentation names (docs/releasing.md); otherwise the documentation is wrong.'
        % (version, '\n  '.join(unmet))
    )


def test_the_newest_release_of_the_changelog_is_galaxy_yml_s_version():
    with open(os.path.join(COLLECTION_ROOT, 'changelogs', 'changelog.yaml')) as handle:
        releases = yaml.safe_load(handle)['releases']
    newest = max(releases, key=Version)
    assert newest == galaxy_version(), (
        'changelogs/changelog.yaml has %s as its newest release, galaxy.yml says %s: run '
        '"antsibull-changelog release" after bumping galaxy.yml (docs/releasing.md)' % (newest, galaxy_version())
    )
