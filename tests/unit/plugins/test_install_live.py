# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The README's install section, as a reader follows it: requirements.yml, then a module against the simulator.

The collection is built into a temporary folder and installed with the README's own command and
requirements.yml block (the tarball's file name is the one the build gives, whatever the version;
the git block from a clone of this repository), into a fresh HOME, with no Ansible setting of
the environment. The installed collection then runs a module against the simulator.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.fastcron.cloud.tests.simulator.fastcron_simulator import Simulator
from ansible_collections.fastcron.cloud.tests.unit.plugins.modules.live import TOKEN, admin

pytestmark = pytest.mark.http

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def readme_block(marker):
    """The README's ```yaml block that holds MARKER."""
    blocks = re.findall(r'^```yaml\n(.*?)^```', (ROOT / 'README.md').read_text(), re.MULTILINE | re.DOTALL)
    matching = [block for block in blocks if marker in block]
    assert len(matching) == 1, marker
    return matching[0]


def readme_install_command():
    commands = re.findall(r'^ansible-galaxy collection install .*$', (ROOT / 'README.md').read_text(), re.MULTILINE)
    assert commands == ['ansible-galaxy collection install -r requirements.yml']
    return commands[0].split()


def fresh_environment(tmp_path):
    """A reader's shell on a fresh machine: a HOME of its own, no Ansible setting, no PYTHONPATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('ANSIBLE_', 'FASTCRON_')) and key != 'PYTHONPATH'
    }
    home = tmp_path / 'home'
    home.mkdir()
    # An empty configuration keeps a machine-wide /etc/ansible/ansible.cfg out.
    (home / 'ansible.cfg').write_text('')
    env.update(
        HOME=str(home),
        ANSIBLE_CONFIG=str(home / 'ansible.cfg'),
        PATH=str(BIN) + os.pathsep + env.get('PATH', ''),
        ANSIBLE_NOCOLOR='1',
        TMPDIR=str(tmp_path),
    )
    return env, home


def run(command, env, cwd, timeout=300):
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, '%s\n%s\n%s' % (' '.join(command), done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


def use_installed_collection(env, home, tmp_path):
    """The installed collection answers ansible-doc from HOME and runs a module against the simulator."""
    installed = home / '.ansible' / 'collections' / 'ansible_collections' / 'fastcron' / 'cloud'
    assert (installed / 'MANIFEST.json').is_file()
    listed = run([str(BIN / 'ansible-galaxy'), 'collection', 'list', 'fastcron.cloud'], env, tmp_path)
    assert str(home / '.ansible' / 'collections' / 'ansible_collections') in listed
    doc = run([str(BIN / 'ansible-doc'), 'fastcron.cloud.fastcron_group'], env, tmp_path)
    assert str(installed) in doc
    with Simulator(tokens=[TOKEN], rate_limit=0) as simulator:
        api = dict(env, FASTCRON_API_URL=simulator.url, FASTCRON_API_TOKEN=TOKEN)
        command = [str(BIN / 'ansible'), 'localhost', '-m', 'fastcron.cloud.fastcron_group', '-a', 'name=installed']
        first = run(command, api, tmp_path)
        assert '"changed": true' in first, first
        assert [group['name'] for group in admin(simulator, '/state')['groups']] == ['installed']
        again = run(command, api, tmp_path)
        assert '"changed": false' in again, again


def test_the_readme_installs_the_tarball_into_a_fresh_home(tmp_path):
    env, home = fresh_environment(tmp_path)
    dist = tmp_path / 'dist'
    run([str(BIN / 'ansible-galaxy'), 'collection', 'build', '--output-path', str(dist), str(ROOT)], env, tmp_path)
    (tarball,) = dist.glob('fastcron-cloud-*.tar.gz')
    block = readme_block('type: file')
    requirements = yaml.safe_load(block)
    assert requirements['collections'][0]['name'].startswith('./fastcron-cloud-')
    # The README names the release's tarball; the build names this version's.
    text = re.sub(r'\./fastcron-cloud-[\w.+-]+\.tar\.gz', './' + tarball.name, block)
    (dist / 'requirements.yml').write_text(text)
    run([str(BIN / readme_install_command()[0]), *readme_install_command()[1:]], env, dist)
    use_installed_collection(env, home, tmp_path)


def git_repository(git, env, tmp_path):
    """The repository as a git server gives it: a bare clone of this checkout's commit, or, where the
    tests run from a copy without git (nox's ansible-test sessions), of a commit of the copy's files."""
    repository = tmp_path / 'cloud.git'
    top = subprocess.run(
        [git, '-C', str(ROOT), 'rev-parse', '--show-toplevel'], env=env, capture_output=True, text=True, check=False
    )
    source = ROOT
    if top.returncode or Path(top.stdout.strip()).resolve() != ROOT:
        source = tmp_path / 'source'
        ignored = shutil.ignore_patterns('.git', 'build', 'output', '.nox', '.venv*', '__pycache__', '.pytest_cache')
        shutil.copytree(ROOT, source, ignore=ignored, symlinks=True)
        identity = ['-c', 'user.name=fastcron.cloud tests', '-c', 'user.email=tests@example.com']
        run([git, 'init', '-q', str(source)], env, tmp_path)
        run([git, '-C', str(source), 'add', '-A'], env, tmp_path)
        run(
            [git, '-C', str(source), *identity, 'commit', '-q', '--no-gpg-sign', '-m', 'the tests\' copy'],
            env,
            tmp_path,
        )
    run([git, 'clone', '-q', '--bare', str(source), str(repository)], env, tmp_path)
    return repository


def test_the_readme_installs_from_git_into_a_fresh_home(tmp_path):
    git = shutil.which('git')
    assert git, 'git is required'
    env, home = fresh_environment(tmp_path)
    repository = git_repository(git, env, tmp_path)
    commit = run([git, '--git-dir', str(repository), 'rev-parse', 'HEAD'], env, tmp_path).strip()
    block = readme_block('type: git')
    requirements = yaml.safe_load(block)['collections'][0]
    assert requirements['name'] == 'https://github.com/fastcron-ansible/cloud.git'
    assert requirements['type'] == 'git'
    assert re.match(r'^\d+\.\d+\.\d+$', str(requirements['version']))  # a release tag
    # The README names the release's tag on GitHub; here the clone and its newest commit.
    text = block.replace(requirements['name'], 'file://%s' % repository).replace(
        'version: %s' % requirements['version'], 'version: %s' % commit
    )
    work = tmp_path / 'project'
    work.mkdir()
    (work / 'requirements.yml').write_text(text)
    run(readme_install_command(), env, work)
    use_installed_collection(env, home, tmp_path)
