# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The repository's ansible.cfg: Ansible run from the repository root finds the collection the build installed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def test_ansible_cfg_names_the_folder_the_build_installs_into_and_stays_out_of_the_artifact():
    config = (ROOT / 'ansible.cfg').read_text()
    assert re.search(r'^collections_path = build/collections$', config, re.MULTILINE)
    noxfile = (ROOT / 'noxfile.py').read_text()
    assert re.search(r'^BUILD = ROOT / "build"$', noxfile, re.MULTILINE)
    assert re.search(r'^COLLECTIONS = BUILD / "collections"$', noxfile, re.MULTILINE)
    assert 'ansible.cfg' in yaml.safe_load((ROOT / 'galaxy.yml').read_text())['build_ignore']


def test_from_a_root_with_it_ansible_finds_the_installed_collection(tmp_path):
    # A repository root as the demo leaves it: ansible.cfg, and the collection in build/collections.
    (tmp_path / 'ansible.cfg').write_text((ROOT / 'ansible.cfg').read_text())
    installed = tmp_path / 'build' / 'collections' / 'ansible_collections' / 'fastcron' / 'cloud'
    installed.parent.mkdir(parents=True)
    installed.symlink_to(ROOT)
    env = {key: value for key, value in os.environ.items() if not key.startswith('ANSIBLE_') and key != 'PYTHONPATH'}
    env.update(HOME=str(tmp_path / 'home'), ANSIBLE_NOCOLOR='1')
    done = subprocess.run(
        [str(BIN / 'ansible-doc'), 'fastcron.cloud.fastcron_cron'],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert str(installed) in done.stdout
