"""Worker processes that never outlive the process that started them.

`pool_initializer` runs first in every worker of the ingest's process pool. A worker then exits
when its parent dies, even when the parent is killed with SIGKILL and cannot shut its pool down:

- on Linux the kernel sends the worker SIGTERM (`prctl(PR_SET_PDEATHSIG)`) at once;
- everywhere, a daemon thread compares `os.getppid()` with the parent's pid every
  `PARENT_POLL_SECONDS` and ends the worker with `os._exit` when the parent is gone.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PARENT_POLL_SECONDS = 0.5
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
ORPHAN_EXIT_CODE = 1


def pool_initializer(parent_pid: int) -> None:
    """Tie this worker's life to `parent_pid` (pass `os.getpid()` of the process creating the pool)."""
    # A forked worker inherits the parent's SIGTERM handler (the bot's loop stops on it), which
    # would only poke the parent's event loop: the default action ends the worker.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _ask_kernel_for_sigterm_on_parent_death()
    _exit_if_orphaned(parent_pid)  # the parent may have died before the request above
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _ask_kernel_for_sigterm_on_parent_death() -> None:
    """Linux only; elsewhere (or without libc) the polling thread alone does the job."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(PARENT_POLL_SECONDS)
        _exit_if_orphaned(parent_pid)


def _exit_if_orphaned(parent_pid: int) -> None:
    if os.getppid() != parent_pid:
        os._exit(ORPHAN_EXIT_CODE)
