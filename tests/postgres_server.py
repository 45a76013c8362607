"""A throwaway PostgreSQL server for the tests, started from the server binaries on the machine.

initdb makes a cluster in a temporary directory; pg_ctl starts it on a free
port, listening on 127.0.0.1 only (no Unix socket), with a random password;
`stop()` stops it and removes the directory. A run killed before it could stop
its server leaves it behind: the next `start()` stops every server whose
owner process is gone (`owner.pid` in its directory). PostgreSQL refuses to run as
root, so as root (CI) the binaries run as the `postgres` system user, and the
directory belongs to that user.
"""
from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"  # the system user the server runs as when we are root
FOLDER_PREFIX = "bot-pg-"
OWNER_FILE = "owner.pid"  # the test process that started the server
START_ATTEMPTS = 3  # a free port may be taken between finding it and starting on it


class NoPostgres(Exception):
    """This machine has no PostgreSQL server to start; the message says why."""


class PostgresFailed(Exception):
    """The server binaries are here but a step failed; the message has its output."""


def find_binaries() -> Path:
    """The folder holding initdb and pg_ctl: $PG_BIN, then pg_config, then the newest Debian install."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if result.returncode == 0:
            candidates.append(Path(result.stdout.strip()))
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
                    if Path(p).parent.name.isdigit() else 0, reverse=True)
    candidates.extend(Path(p) for p in debian)
    if shutil.which("pg_ctl"):
        candidates.append(Path(shutil.which("pg_ctl")).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise NoPostgres("no PostgreSQL server binaries (initdb, pg_ctl) found: not in $PG_BIN, pg_config --bindir, "
                     "/usr/lib/postgresql/*/bin or PATH")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PostgresServer:
    def __init__(self, binaries: Path):
        self.binaries = binaries
        self.password = secrets.token_hex(16)
        self.port = 0
        self.folder: Path | None = None
        self._as_server_user = os.geteuid() == 0

    @property
    def dsn(self) -> str:
        """The connection string of the server's `postgres` database, as the superuser."""
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    def dsn_for(self, database: str) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; returns its connection string."""
        self._psql(f'CREATE DATABASE "{name}"')
        return self.dsn_for(name)

    def drop_database(self, name: str) -> None:
        self._psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _psql(self, statement: str) -> None:
        result = subprocess.run([str(self.binaries / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", self.dsn,
                                 "-c", statement], capture_output=True, text=True)
        if result.returncode != 0:
            raise PostgresFailed(f"psql {statement!r} failed: {result.stderr.strip()}")

    def start(self) -> None:
        self.stop_abandoned()
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))
        (self.folder / OWNER_FILE).write_text(str(os.getpid()))
        try:
            if self._as_server_user:
                self._give_to_server_user()
            self._initdb()
            self._start_on_a_free_port()
        except BaseException:
            self._remove_folder()
            raise

    def stop(self) -> None:
        if self.folder is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except PostgresFailed:
            pass  # it was not running
        finally:
            self._remove_folder()

    def stop_abandoned(self) -> None:
        """Stop the servers of earlier test runs that were killed before they could stop them."""
        for owner_file in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*/{OWNER_FILE}"):
            owner = owner_file.read_text().strip()
            if not _alive(int(owner) if owner.isdigit() else 0):
                abandoned = PostgresServer(self.binaries)
                abandoned.folder = owner_file.parent
                abandoned.stop()

    # ---------------------------------------------------------------- internals
    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _give_to_server_user(self) -> None:
        try:
            user = pwd.getpwnam(SERVER_USER)
        except KeyError:
            raise NoPostgres(f"running as root and there is no `{SERVER_USER}` system user to run PostgreSQL as "
                             "(PostgreSQL refuses to run as root)") from None
        if not shutil.which("runuser"):
            raise NoPostgres("running as root and `runuser` is missing: cannot run PostgreSQL as another user")
        os.chown(self.folder, user.pw_uid, user.pw_gid)

    def _initdb(self) -> None:
        password_file = self.folder / "password"
        password_file.write_text(self.password + "\n")
        if self._as_server_user:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(password_file, user.pw_uid, user.pw_gid)
        password_file.chmod(0o600)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-E", "UTF8", "--locale=C",
                  "--auth=scram-sha-256", f"--pwfile={password_file}")
        password_file.unlink()

    def _start_on_a_free_port(self) -> None:
        for attempt in range(START_ATTEMPTS):
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"),
                          "-o", options, "-w", "-t", "60", "start")
                return
            except PostgresFailed:
                if attempt == START_ATTEMPTS - 1:
                    raise

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.binaries / program), *args]
        if self._as_server_user:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise PostgresFailed(f"{program} failed ({result.returncode}): {result.stderr.strip()[-2000:]} {tail}")

    def _remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
