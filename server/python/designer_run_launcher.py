"""Run launcher of the designer's local Dagster instances (named in its DAGSTER_HOME/dagster.yaml).

Dagster's DefaultRunLauncher asks the code server to start each run in a *spawned* interpreter, which imports
dagster from scratch and then loads the project (seconds). This launcher forks each run worker instead, then
runs it exactly as `dagster api execute_run` does: same instance, same run storage, same events.

- A warm *project* process (one per code location) has imported the project and built its definitions for the
  repository load data of the last run (what the code server recorded in the run's plan: the state versions of
  dbt and the like). A run worker forked from it skips the whole load when its run asks for the same load data.
  The project's files are fingerprinted (path, size, mtime of every file under the code's working directory);
  when they change (a sync, an edit, a dbt state refresh) that process is replaced, in the background, and runs
  fork from the plain one below until the new one is ready, so a run never executes stale code.
- The plain fork server (multiprocessing's forkserver, started with the webserver) has imported dagster only; a
  run worker forked from it loads the project itself. It serves the first run and any run the warm process
  cannot (not ready, stale, or not answering).
"""

import multiprocessing
import multiprocessing.forkserver
import os
import signal
import sys
import threading
import time

from dagster import DefaultRunLauncher

# What the warm processes import once; a library that is not installed is skipped by multiprocessing.
PRELOAD = [
    "dagster",
    "dagster._cli.api",
    "dagster.components",
    "dagster_pipes",
    "dagster_dbt",
    "dagster_duckdb",
]
# Not the project's code: bytecode caches, and what dbt writes where it runs (dagster-dbt's state copy).
SKIPPED = {"__pycache__"}
RUN_OUTPUTS = {"target", "logs"}
DATA_SUFFIXES = (".duckdb", ".duckdb.wal", ".log")
# How often the project's files are checked for a change while a warm project process exists.
WATCH_SECONDS = 1.0
# How long a launch waits for the warm project process to fork a run worker before using the fork server.
FORK_ANSWER_SECONDS = 10.0

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


def fingerprint(directory):
    """Every file under the code's working directory (but caches and run outputs), by path, size and mtime."""
    entries = []
    stack = [directory]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                for entry in it:
                    if entry.name in SKIPPED or entry.name.endswith(DATA_SUFFIXES):
                        continue
                    if entry.name in RUN_OUTPUTS and ".local_defs_state" in current:
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        else:
                            st = entry.stat(follow_symlinks=False)
                            entries.append((entry.path, st.st_size, st.st_mtime_ns))
                    except OSError:
                        continue
        except OSError:
            continue
    entries.sort()
    return hash(tuple(entries))


def _serve_project(conn, pointer_json, load_json):
    """The warm project process: imports the project once, then forks one run worker per request.

    It answers each request at once ("forked", then builds the definitions for the run's load data if it has not
    yet), and says "idle" when it can take the next one: the launcher never queues a run behind a build.
    """
    from dagster._core.definitions import reconstruct
    from dagster._serdes import deserialize_value, serialize_value

    pointer = deserialize_value(pointer_json)
    real_reconstruct = reconstruct.reconstruct_repository_def_from_pointer
    built = {}  # serialized load data -> repository definition (the last one only)

    def build(key):
        if key is None or key in built:
            return
        try:
            repo = real_reconstruct(pointer, deserialize_value(key) if key else None)
            built.clear()
            built[key] = repo
        except Exception:  # noqa: BLE001 - left to each run worker, which reports it in the run's events
            built.clear()

    try:
        pointer.load_target()  # imports the project and everything it imports
    except Exception:  # noqa: BLE001 - a run worker reports the same error itself
        pass
    build(load_json)
    # Run workers are reaped by the kernel; each worker sets SIGCHLD back for its own subprocesses.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)

    def cached(ptr, repository_load_data=None):
        key = serialize_value(repository_load_data) if repository_load_data is not None else ""
        if ptr == pointer and key in built:
            return built[key]
        return real_reconstruct(ptr, repository_load_data)

    while True:
        conn.send(("idle",))
        try:
            _, instance_ref, run_id, run_load_json = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                conn.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                # A forked worker is not a daemon: the multiprocess executor may start processes of its own.
                multiprocessing.current_process()._config.pop("daemon", None)  # noqa: SLF001
                reconstruct.reconstruct_repository_def_from_pointer = cached
                _run_worker(instance_ref, run_id)
            except BaseException:  # noqa: BLE001 - the run's own events carry the failure
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        conn.send(("forked", pid))
        build(run_load_json)  # for the next run with this load data


class _ProjectProcess:
    """The launcher's handle on one warm project process."""

    def __init__(self, pointer_json, directory, load_json):
        self.directory = directory
        self.load_json = load_json
        self.fingerprint = fingerprint(directory)  # taken before the import: a change meanwhile shows later
        self.lock = threading.Lock()
        self.idle = False
        self.conn, child_conn = multiprocessing.Pipe()
        self.process = _forkserver().Process(
            target=_serve_project, args=(child_conn, pointer_json, load_json), daemon=True
        )
        self.process.start()
        child_conn.close()

    def fresh(self):
        return self.process.is_alive() and fingerprint(self.directory) == self.fingerprint

    def fork(self, instance_ref, run_id, load_json):
        """The pid of a run worker forked for `run_id`, or None when this process cannot take it right now."""
        if not self.lock.acquire(timeout=FORK_ANSWER_SECONDS):
            return None
        try:
            while self.conn.poll(0):
                self.idle = self.conn.recv()[0] == "idle"
            if not self.idle:
                return None  # still importing or building: never queue a run behind that
            self.idle = False
            self.load_json = load_json
            self.conn.send(("run", instance_ref, run_id, load_json))
            if not self.conn.poll(FORK_ANSWER_SECONDS):
                self.stop()  # it hung: gone before it could fork this run late
                return None
            kind, pid = self.conn.recv()
            return pid if kind == "forked" else None
        except (EOFError, OSError):
            return None
        finally:
            self.lock.release()

    def retire(self):
        """Stops it between two runs (never while it forks one)."""
        with self.lock:
            self.stop()

    def stop(self):
        try:
            self.conn.close()
        except OSError:
            pass
        if self.process.is_alive():
            self.process.kill()


class _Forked:
    """A run worker forked by a warm project process (not our child: alive while its pid answers)."""

    def __init__(self, pid):
        self.pid = pid

    def is_alive(self):
        try:
            os.kill(self.pid, 0)
            return True
        except OSError:
            return False


class ForkedRunLauncher(DefaultRunLauncher):
    """Each run in a forked run worker (from the warm project process when it is current); cancel interrupts it."""

    def __init__(self, inst_data=None):
        super().__init__(inst_data=inst_data)
        self._processes = {}
        self._projects = {}  # code pointer (serialized) -> _ProjectProcess
        self._projects_lock = threading.Lock()
        self._watching = False
        # Warm the fork server now, in the background, so the first run does not pay for the imports.
        threading.Thread(target=_warm, daemon=True).start()

    def _load_json(self, run):
        from dagster._serdes import serialize_value

        try:
            snapshot = self._instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id)
            data = snapshot.repository_load_data if snapshot else None
            return serialize_value(data) if data is not None else ""
        except Exception:  # noqa: BLE001 - without it the run worker loads as usual
            return None

    def _project_for(self, run, load_json):
        """The current warm project process for the run's code, started (for the next runs) when missing or stale."""
        from dagster._serdes import serialize_value

        origin = run.job_code_origin
        pointer = origin.repository_origin.code_pointer if origin else None
        directory = getattr(pointer, "working_directory", None)
        if pointer is None or not directory or origin.repository_origin.executable_path != sys.executable:
            return None
        key = serialize_value(pointer)
        with self._projects_lock:
            current = self._projects.get(key)
            if current is not None and current.fresh():
                return current
            if current is not None:
                current.retire()
            self._projects[key] = _ProjectProcess(key, directory, load_json)
            if not self._watching:
                self._watching = True
                threading.Thread(target=self._watch, daemon=True).start()
        return None

    def _watch(self):
        """Replaces a warm project process once its files changed (and then held still for a check)."""
        seen = {}
        while True:
            time.sleep(WATCH_SECONDS)
            with self._projects_lock:
                for key, project in list(self._projects.items()):
                    now = fingerprint(project.directory)
                    if now != project.fingerprint and seen.get(key) == now:
                        project.retire()
                        self._projects[key] = _ProjectProcess(key, project.directory, project.load_json)
                    seen[key] = now

    def launch_run(self, context):
        run = context.dagster_run
        load_json = self._load_json(run)
        project = self._project_for(run, load_json)
        pid = project.fork(self._instance.get_ref(), run.run_id, load_json) if project else None
        if pid is not None:
            self._processes[run.run_id] = _Forked(pid)
        else:
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
