"""Check that ansible-builder makes an execution environment with the collection and its requirements.

Usage: python scripts/check_ee.py COLLECTION_TARBALL SCRATCH_DIR

No container engine is needed: the build context is created and checked, and the two build
stages that concern the collection are replayed on this machine.

1. The artifact, installed into SCRATCH_DIR/collections, is introspected by ansible-builder:
   the Python requirements it reports for fastcron.cloud must be those of requirements.txt.
2. docs/execution-environment.yml, the example of the AWX guide, installs the collection from
   its release tarball, which it expects beside itself and copies into the build context. The
   definition, as it is, with the artifact beside it under the tarball's name (the release's: the
   unit test tests/unit/plugins/test_release_version.py checks that galaxy.yml's version is that
   one), gives a build context: a Containerfile that installs the collection from
   _build/requirements.yml, and the artifact under _build/. The guide shows the file as it is.
3. The galaxy stage of that context (the ansible-galaxy command of the Containerfile, run in
   _build/) and its builder stage (_build/scripts/introspect.py) end with the collection
   installed and its requirements listed.

Prints what it checked; exits 1 at the first problem.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile

import yaml

COLLECTION = 'fastcron.cloud'
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(REPO_ROOT, 'docs', 'execution-environment.yml')
GUIDE = os.path.join(REPO_ROOT, 'docs', 'docsite', 'rst', 'awx.rst')
# How a requirement of the collection comes out of ansible-builder's introspection.
FROM_COLLECTION = '  # from collection %s' % COLLECTION
# The release tarball that the documented definition installs, and where it puts it in the context.
TARBALL = re.compile(r'fastcron-cloud-[0-9][0-9A-Za-z.+-]*\.tar\.gz')
COLLECTIONS_DEST = 'collections'


class Problem(Exception):
    pass


def run(command, cwd=None, env=None):
    """Run a command; its output, or a Problem with the output when it fails."""
    result = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    if result.returncode != 0:
        raise Problem('%s exited with %d:\n%s' % (' '.join(command), result.returncode, result.stdout))
    return result.stdout


def read(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read()


def collection_requirements():
    """The requirement lines of the collection's requirements.txt, as meta/execution-environment.yml names it."""
    meta = yaml.safe_load(read(os.path.join(REPO_ROOT, 'meta', 'execution-environment.yml')))
    python = meta['dependencies']['python']
    lines = [line.split('#')[0].strip() for line in read(os.path.join(REPO_ROOT, python)).splitlines()]
    lines = [line for line in lines if line]
    if 'requests' not in [re.split(r'[<>=!~;\[ ]', line)[0] for line in lines]:
        raise Problem('%s does not name requests' % python)
    return lines


def introspect(command, collections, output):
    """Introspect a collections path; the Python requirements written, as a list of lines."""
    run([*command, 'introspect', collections, '--write-pip', output])
    return [line for line in read(output).splitlines() if line.strip()]


def expect_requirements(found, wanted, where):
    missing = [line for line in wanted if line + FROM_COLLECTION not in found]
    if missing:
        raise Problem('%s: %s not reported for %s; got %r' % (where, ', '.join(missing), COLLECTION, found))
    print('ok: %s reports %s' % (where, ', '.join(line + FROM_COLLECTION for line in wanted)))


def create(definition, context):
    """ansible-builder create: the Containerfile and the galaxy requirements of the context."""
    shutil.rmtree(context, ignore_errors=True)
    run(['ansible-builder', 'create', '--file', definition, '--context', context, '--output-filename', 'Containerfile'])
    containerfile = os.path.join(context, 'Containerfile')
    if not os.path.isfile(containerfile):
        raise Problem('ansible-builder create wrote no %s' % containerfile)
    galaxy = yaml.safe_load(read(os.path.join(context, '_build', 'requirements.yml')))
    print('ok: %s has a Containerfile and _build/requirements.yml' % context)
    return read(containerfile), galaxy['collections']


def check_guide_shows_example():
    """The guide's code block of the definition is the example file, line for line."""
    example = read(EXAMPLE).strip().splitlines()
    guide = read(GUIDE).splitlines()
    indented = ['   ' + line if line else '' for line in example]
    for start in range(len(guide)):
        if guide[start : start + len(indented)] == indented:
            print('ok: %s shows %s as it is' % (os.path.relpath(GUIDE, REPO_ROOT), os.path.relpath(EXAMPLE, REPO_ROOT)))
            return
    raise Problem('%s does not show %s line for line (indented by three spaces)' % (GUIDE, EXAMPLE))


def check(tarball, scratch):
    tarball, scratch = os.path.abspath(tarball), os.path.abspath(scratch)
    wanted = collection_requirements()
    builder = ['ansible-builder']

    # 1. The installed artifact, introspected.
    installed = os.path.join(scratch, 'installed')
    run(['ansible-galaxy', 'collection', 'install', '--force', '-p', installed, tarball])
    expect_requirements(
        introspect(builder, installed, os.path.join(scratch, 'introspected.txt')),
        wanted,
        'ansible-builder introspect of the installed artifact',
    )

    # 2. The documented definition, as it is, with the artifact where it expects the release tarball.
    check_guide_shows_example()
    definition = yaml.safe_load(read(EXAMPLE))
    tarballs = [
        entry['src']
        for entry in definition.get('additional_build_files', [])
        if TARBALL.fullmatch(entry['src']) and entry['dest'] == COLLECTIONS_DEST
    ]
    if len(tarballs) != 1:
        raise Problem(
            '%s copies no single release tarball into %s/ of the context: %r' % (EXAMPLE, COLLECTIONS_DEST, tarballs)
        )
    artifact = '%s/%s' % (COLLECTIONS_DEST, tarballs[0])
    wanted_collections = [{'name': artifact, 'type': 'file'}]
    if definition['dependencies']['galaxy'] != {'collections': wanted_collections}:
        raise Problem('%s does not install %s: %r' % (EXAMPLE, artifact, definition['dependencies']['galaxy']))
    beside = os.path.join(scratch, 'definition')
    os.makedirs(beside)
    local = os.path.join(beside, 'execution-environment.yml')
    shutil.copyfile(EXAMPLE, local)
    shutil.copyfile(tarball, os.path.join(beside, tarballs[0]))
    context = os.path.join(scratch, 'context')
    containerfile, collections = create(local, context)
    for step in ('ansible-galaxy collection install', 'introspect.py introspect', '/output/scripts/assemble'):
        if step not in containerfile:
            raise Problem('the Containerfile has no step %r' % step)
    build = os.path.join(context, '_build')
    shipped = os.path.join(build, artifact)
    if collections != wanted_collections or not os.path.isfile(shipped):
        raise Problem('the context does not install the artifact: %r, %s' % (collections, shipped))
    with tarfile.open(shipped) as archive:
        names = set(archive.getnames())
    for path in ('meta/execution-environment.yml', 'requirements.txt'):
        if path not in names:
            raise Problem('the artifact in the context lacks %s' % path)
    print(
        'ok: the documented definition installs %s from _build/%s, introspects it and installs what it reports'
        % (COLLECTION, artifact)
    )

    # 3. The context's stages.
    # The galaxy stage: its ansible-galaxy command, run where the Containerfile runs it (WORKDIR /build).
    match = re.search(r'ansible-galaxy collection install \S+ (-r requirements\.yml) --collections-path', containerfile)
    if not match:
        raise Problem('no ansible-galaxy collection install -r requirements.yml in the Containerfile')
    # As in the image, the collections path holds nothing else: a copy of the collection installed
    # elsewhere on this machine would make ansible-galaxy skip the install.
    staged = os.path.join(scratch, 'image-collections')
    output = run(
        ['ansible-galaxy', 'collection', 'install', '-r', 'requirements.yml', '--collections-path', staged],
        cwd=build,
        env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=staged),
    )
    if not os.path.isfile(os.path.join(staged, 'ansible_collections', 'fastcron', 'cloud', 'MANIFEST.json')):
        raise Problem('the galaxy stage did not install %s:\n%s' % (COLLECTION, output))
    print('ok: the galaxy stage installs %s from the context' % COLLECTION)

    # The builder stage: the context's own introspection script over what the galaxy stage installed.
    script = [sys.executable, os.path.join(build, 'scripts', 'introspect.py')]
    expect_requirements(
        introspect(script, staged, os.path.join(scratch, 'image-requirements.txt')),
        wanted,
        'the builder stage (_build/scripts/introspect.py)',
    )


def main(argv):
    if len(argv) != 3:
        sys.stderr.write('usage: python %s COLLECTION_TARBALL SCRATCH_DIR\n' % argv[0])
        return 2
    try:
        check(argv[1], argv[2])
    except Problem as problem:
        print('FAILED: %s' % problem)
        return 1
    print('execution environment: ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
