"""Run launcher of the designer's local Dagster instances (named in its DAGSTER_HOME/dagster.yaml).

Dagster's DefaultRunLauncher asks the code server to start each run in a *spawned* interpreter, which imports
dagster from scratch (seconds) before it loads the project. This launcher forks each run worker from a warm
process that has already imported dagster (multiprocessing's forkserver, started with the webserver), then
runs it exactly as `dagster api execute_run` does: same instance, same run storage, same events. The project's
own code is loaded fresh in every run worker, so an edit is never run stale.
"""

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import threading

from dagster import DefaultRunLauncher

# What the warm process imports once; a library that is not installed is skipped by multiprocessing.
PRELOAD = [
    "dagster",
    "dagster._cli.api",
    "dagster.components",
    "dagster_pipes",
    "dagster_dbt",
    "dagster_duckdb",
]

_context = None


def _forkserver():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def _warm():
    _forkserver()
    multiprocessing.forkserver.ensure_running()


def _run_worker(instance_ref, run_id):
    from dagster._cli.api import _execute_run_command_body
    from dagster._core.instance import DagsterInstance
    from dagster._utils.interrupts import capture_interrupts

    # A cancel is a SIGINT to this process: Dagster turns it into an interrupt at a safe point (CANCELED).
    with capture_interrupts():
        with DagsterInstance.from_ref(instance_ref) as instance:
            _execute_run_command_body(run_id, instance, lambda _event: None, set_exit_code_on_failure=False)


class ForkedRunLauncher(DefaultRunLauncher):
    """Each run in a process forked from a warm, dagster-importing server; cancel interrupts that process."""

    def __init__(self, inst_data=None):
        super().__init__(inst_data=inst_data)
        self._processes = {}
        # Warm the fork server now, in the background, so the first run does not pay for the imports.
        threading.Thread(target=_warm, daemon=True).start()

    def launch_run(self, context):
        run = context.dagster_run
        process = _forkserver().Process(target=_run_worker, args=(self._instance.get_ref(), run.run_id))
        process.start()
        self._processes[run.run_id] = process
        self._run_ids.add(run.run_id)

    def terminate(self, run_id):
        process = self._processes.get(run_id)
        run = self._instance.get_run_by_id(run_id)
        if not run or run.is_finished or process is None or not process.is_alive():
            return False
        self._instance.report_run_canceling(run)
        os.kill(process.pid, signal.SIGINT)
        return True
