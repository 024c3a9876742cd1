"""Loads a Dagster project's real definitions, as `dg list defs` does, and prints what it defines as JSON.

`python inspect_defs.py <project_root>` answers once. With `--serve` it imports dagster once and then
answers one request per line of stdin, each in a fresh forked child, so every answer sees the files as
they are now while the slow imports are paid only once (DESIGN.md "Inspect").

One answer, in steps:
1. state: components with defs state (dbt's manifest…) get it refreshed, with Dagster's own
   `StateBackedComponent.refresh_state` (what `dg utils refresh-defs-state` runs), only when their inputs changed
   (a content hash of the dbt project, the component's defs.yaml and the .env values, kept in
   `.designer/defs-state.json`). The definitions then load from the stored state. dagster-dbt's `dbt parse` runs
   in this process through dbt's Python API (no `dbt --version` probe, no second Python start), and the warm
   parent has run one throwaway parse, so dbt's per-process caches are built before a fork needs them.
2. load: the project's code location (`<root_module>.definitions`, or `code_location_target_module`) loaded once,
   as `dg list defs` loads it, and every asset, check, job, schedule, sensor and resource listed from it. Each one
   carries `defined_at`: the deepest entry of Dagster's component tree whose definitions hold it (a YAML document,
   a Python module).
3. scripts: the files nodes point at (Pipes scripts, SQL templates), which Dagster does not load with the
   definitions, checked the way a run would meet them.
A failed load is one problem, located at its file and line from Dagster's own report (the component tree entry,
PyYAML's mark, the traceback); only when that says nothing are the top-level folders built one by one, and a
folder's error is kept only if it is the same error.
"""

import ast
import dataclasses
import hashlib
import importlib.util
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

YAML_MARK = re.compile(r'in "([^"]+\.ya?ml)", line (\d+), column (\d+)')
YAML_LOCATION = re.compile(r"([\w./\\-]+\.ya?ml):(\d+)")
TREE_LOCATION = re.compile(r"Error while (?:loading component|building definitions for) (\S+?):\n")
SKIPPED_DIRS = {"target", "dbt_packages", "logs", "__pycache__", ".venv", "node_modules"}
STATE_FILE = Path(".designer") / "defs-state.json"


def _json_safe(value, depth=0):
    if depth > 4:
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    inner = getattr(value, "value", None)
    if inner is not None and type(value).__name__.endswith("MetadataValue"):
        return _json_safe(inner, depth + 1)
    # Exact types only: Dagster records are NamedTuples that refuse iteration.
    if type(value) is dict:
        return {str(k): _json_safe(v, depth + 1) for k, v in value.items()}
    if type(value) in (list, tuple, set, frozenset):
        return [_json_safe(v, depth + 1) for v in value]
    if dataclasses.is_dataclass(value):  # e.g. dagster-dbt's whole manifest: its repr alone is megabytes
        return f"<{type(value).__name__}>"
    try:
        text = str(value)
        return text if len(text) <= 4000 else f"{text[:4000]}…"
    except Exception:
        return f"<{type(value).__name__}>"


def _too_big(value, limit=2000):
    """True when a metadata value holds more than `limit` items (dagster-dbt attaches the whole manifest to every
    dbt asset): counted with an early exit, so a big value costs no more than a small one."""
    stack, seen = [value], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if type(item) is dict:
            stack.extend(item.values())
        elif type(item) in (list, tuple):
            stack.extend(item)
    return False


def _metadata(metadata):
    out = {}
    for key, value in metadata.items():
        if key in ("dagster/code_references", "dagster/component_origin"):
            continue
        inner = getattr(value, "value", value) if type(value).__name__.endswith("MetadataValue") else value
        out[str(key)] = f"<{type(inner).__name__} too large to show>" if _too_big(inner) else _json_safe(value)
    return out


def _root_cause(error):
    seen = set()
    while (error.__cause__ or error.__context__) is not None and id(error) not in seen:
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return error


def _relative(file, root):
    try:
        return str(Path(file).resolve().relative_to(root))
    except ValueError:
        return str(file)


def _problem(error, root):
    """A Problem for an exception: its root cause, at the file:line that caused it when one can be found."""
    outer = error
    chain_text = ""
    seen, e = set(), outer
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        chain_text += f"\n{e}"
        e = e.__cause__ or e.__context__
    error = _root_cause(error)
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    problem = {"severity": "error", "message": message}
    mark = YAML_MARK.search(message) or YAML_MARK.search(chain_text)
    located = YAML_LOCATION.search(message)
    if isinstance(error, SyntaxError) and error.filename:
        problem["file"], problem["line"] = error.filename, error.lineno or 1
    elif mark:
        problem["file"], problem["line"] = mark.group(1), int(mark.group(2))
    elif located:
        problem["file"], problem["line"] = located.group(1), int(located.group(2))
    else:
        venv = str(root / ".venv")
        frames = [
            f
            for f in traceback.extract_tb(error.__traceback__)
            if f.filename.startswith(str(root)) and not f.filename.startswith(venv)
        ]
        if frames:
            problem["file"], problem["line"] = frames[-1].filename, frames[-1].lineno
        else:
            located = YAML_LOCATION.search(chain_text)
            if located:
                problem["file"], problem["line"] = located.group(1), int(located.group(2))
    if "file" in problem:
        problem["file"] = _relative(problem["file"], root)
    tree_at = TREE_LOCATION.search(chain_text)
    if tree_at:
        # Dagster's component tree names the entry that failed, relative to defs/ ("ingest[1]", "assets/a.py").
        key = tree_at.group(1)
        document = re.match(r"^(.*)\[(\d+)\]$", key)
        problem["component"] = document.group(1) if document else key
        if document:
            problem["document"] = int(document.group(2))
    if isinstance(error, ModuleNotFoundError):
        problem["missing_module"] = error.name
    return problem


# ---------------------------------------------------------------- state-backed components


def _files_digest(digest, folder):
    folder = Path(folder)
    if not folder.is_dir():
        digest.update(f"missing:{folder}".encode())
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or re.search(r"\.(duckdb|duckdb\.wal|db|log|pyc)$", name):
                continue
            path = Path(dirpath) / name
            digest.update(str(path.relative_to(folder)).encode() + b"\0")
            try:
                digest.update(hashlib.sha256(path.read_bytes()).digest())
            except OSError:
                digest.update(b"unreadable")


def _state_inputs(component):
    """The local folders a component's state is made from (for dbt: its project and profiles folders)."""
    manager = getattr(component, "_project_manager", None)
    folders = []
    args = getattr(manager, "args", None)
    project = getattr(manager, "project", None)
    for source in (args, project):
        for attr in ("project_dir", "profiles_dir"):
            value = getattr(source, attr, None) if source is not None else None
            if value and Path(value).is_dir() and Path(value) not in folders:
                folders.append(Path(value))
    return folders


def _fingerprint(key, type_name, yaml_file, env, folders):
    digest = hashlib.sha256()
    digest.update(key.encode() + b"\0" + type_name.encode())
    if yaml_file and Path(yaml_file).is_file():
        digest.update(Path(yaml_file).read_bytes())
    digest.update(json.dumps(env, sort_keys=True).encode())
    for folder in folders:
        _files_digest(digest, folder)
    return digest.hexdigest()


def _unchanged_since_last_time(root, env, known, defs_digest):
    """True when nothing a state could depend on changed since the last scan: the same files under defs/, the
    same .env values, every known component's inputs the same and its state still there. Then even finding the
    state-backed components (loading them) is skipped."""
    from dagster.components.utils.project_paths import get_local_state_path

    if not isinstance(known.get("components"), dict) or known.get("defs") is None:
        return False
    if known["defs"] != defs_digest:
        return False
    for key, entry in known["components"].items():
        if not get_local_state_path(key, root).exists():
            return False
        if entry["fingerprint"] != _fingerprint(key, entry["type"], entry["yaml"], env, [Path(f) for f in entry["folders"]]):
            return False
    return True


def _defs_digest(root, env):
    digest = hashlib.sha256(json.dumps(env, sort_keys=True).encode())
    _files_digest(digest, _defs_dir(root))
    return digest.hexdigest()


def refresh_changed_state(root, env, steps, record=True):
    """Refreshes the defs state of each state-backed component whose inputs changed (or that has none yet).
    `record=False` (a load with entries left out) keeps `.designer/defs-state.json` as it is: what was left out
    is not known to be unchanged."""
    import asyncio

    from dagster._utils.warnings import disable_dagster_warnings
    from dagster.components.component.state_backed_component import StateBackedComponent
    from dagster.components.core.component_tree import ComponentTree
    from dagster.components.core.defs_module import ComponentPath
    from dagster.components.utils.project_paths import get_local_state_path
    from dagster_shared.serdes.objects.models.defs_state_info import DefsStateManagementType
    from dagster_shared.utils import safe_is_subclass

    store = root / STATE_FILE
    try:
        known = json.loads(store.read_text())
    except (OSError, ValueError):
        known = {}
    started = time.perf_counter()
    defs_digest = _defs_digest(root, env)
    if _unchanged_since_last_time(root, env, known, defs_digest):
        count = len(known["components"])
        steps.append(_step("state", "Component state: nothing changed", started, "skipped", f"{count} component(s)"))
        for key in known["components"]:
            steps.append(_step(f"state:{key}", f"State of {key}: unchanged", time.perf_counter(), "skipped"))
        return
    components = known.get("components") if isinstance(known.get("components"), dict) else {}
    _progress({"step": "state", "label": "Find components with state", "status": "running"})
    try:
        with disable_dagster_warnings():
            tree = ComponentTree.for_project(root)
            decls = tree._component_decl_tree()  # noqa: SLF001 (what get_all_components walks, with the locs)
            backed = [
                (loc, tree.load_component(loc))
                for loc, decl in decls.items()
                if safe_is_subclass(decl.component_type, StateBackedComponent)
            ]
    except Exception as error:  # a module or defs.yaml that does not load: the load would meet it too
        error.designer_discovery = True
        raise
    steps.append(_step("state", "Find components with state", started, detail=f"{len(backed)} found"))
    fresh = {}
    done = set()
    for loc, component in backed:
        config = component.defs_state_config
        key = config.key
        if key in done or config.management_type != DefsStateManagementType.LOCAL_FILESYSTEM:
            continue
        done.add(key)
        yaml_file = None
        if isinstance(loc, ComponentPath):
            from dagster.components.core.defs_module import find_defs_or_component_yaml

            yaml_file = find_defs_or_component_yaml(loc.file_path)
        entry = {
            "type": type(component).__qualname__,
            "yaml": str(yaml_file) if yaml_file else None,
            "folders": [str(f) for f in _state_inputs(component)],
        }
        entry["fingerprint"] = _fingerprint(key, entry["type"], entry["yaml"], env, [Path(f) for f in entry["folders"]])
        if components.get(key, {}).get("fingerprint") == entry["fingerprint"] and get_local_state_path(key, root).exists():
            fresh[key] = entry
            steps.append(_step(f"state:{key}", f"State of {key}: unchanged", time.perf_counter(), "skipped"))
            continue
        began = time.perf_counter()
        _progress({"step": f"state:{key}", "label": f"Refresh the state of {key}", "status": "running"})
        try:
            with _dbt_parse_in_process():
                asyncio.run(component.refresh_state(root))
        except Exception as error:
            steps.append(_step(f"state:{key}", f"Refresh the state of {key}", began, "failed"))
            _write_known(store, {"components": {k: v for k, v in components.items() if k != key}})
            if isinstance(loc, ComponentPath) and loc.file_path.is_relative_to(Path(tree.defs_module_path)):
                error.designer_component = loc.file_path.relative_to(Path(tree.defs_module_path)).as_posix()
            raise
        fresh[key] = entry
        steps.append(_step(f"state:{key}", f"Refresh the state of {key}", began))
    if record:
        _write_known(store, {"components": fresh, "defs": defs_digest})


class _dbt_parse_in_process:
    """While Dagster's own `refresh_state` runs, dagster-dbt's preparer runs its `dbt parse` in this (warm) process
    through dbt's Python API instead of a `dbt` subprocess. Everything else is Dagster's: the state folder, the
    copy of the project, the seeds' partial-parse invalidation. The subprocess path costs a `dbt --version`
    probe, a dbt adapter set up for a handle the parse never uses, and a Python start that imports dbt again;
    the parse itself, its arguments and environment (those `DbtCliResource.cli` gives it) are the same."""

    def __enter__(self):
        try:
            from dagster_dbt.dbt_project import DagsterDbtProjectPreparer
            from dbt.cli.main import dbtRunner  # noqa: F401  (warm after the first refresh)
        except ImportError:
            self.preparer = None
            return self
        self.preparer = DagsterDbtProjectPreparer
        self.original = DagsterDbtProjectPreparer.__dict__["_prepare_manifest"]
        DagsterDbtProjectPreparer._prepare_manifest = _prepare_manifest_in_process
        return self

    def __exit__(self, *exc):
        if self.preparer is not None:
            self.preparer._prepare_manifest = self.original
        return False


def _prepare_manifest_in_process(preparer, project):
    """`DagsterDbtProjectPreparer._prepare_manifest`, with the parse run by `dbtRunner` (dagster_dbt/dbt_project.py
    runs `DbtCliResource(project_dir=project).cli(args, target_path=project.target_path).wait()`)."""
    from dagster_dbt.errors import DagsterDbtCliRuntimeError

    args = list(preparer._prepare_project_cli_args)  # noqa: SLF001
    if project.profile:
        args += ["--profile", project.profile]
    if project.target:
        args += ["--target", project.target]
    result, errors = _dbt_invoke(args, project.project_dir, project.profiles_dir, project.target_path)
    if not result.success:
        if result.exception is not None and not errors:
            errors.append(str(result.exception))
        detail = "\n\n".join(["", "Errors parsed from dbt logs:", *errors]) if errors else ""
        raise DagsterDbtCliRuntimeError(
            description=f"The dbt CLI process with command\n\n`dbt {' '.join(args)}`\n\nfailed.{detail}"
        )
    preparer._invalidate_seeds_in_partial_parse(project)  # noqa: SLF001  (as Dagster's own _prepare_manifest)


def _dbt_invoke(args, project_dir, profiles_dir, target_path):
    """dbt run in this process with the environment `DbtCliResource.cli` gives its subprocess, from the project
    folder; answers dbt's result and the messages of its error events."""
    from dbt.cli.main import dbtRunner

    env = {
        "DAGSTER_DBT_CLI": "true",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_LOG_FORMAT": "json",
        "DBT_TARGET_PATH": os.fspath(target_path),
        "DBT_LOG_PATH": os.fspath(target_path),
        "DBT_PROJECT_DIR": str(project_dir),
        **({"DBT_PROFILES_DIR": os.fspath(profiles_dir)} if profiles_dir else {}),
    }
    errors = []

    def keep_errors(event):
        if getattr(event.info, "level", None) == "error" and event.info.msg:
            errors.append(str(event.info.msg))

    saved_env = {name: os.environ.get(name) for name in env}
    saved_cwd = os.getcwd()
    os.environ.update(env)
    os.chdir(project_dir)
    try:
        return dbtRunner(callbacks=[keep_errors]).invoke(args), errors
    finally:
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


_DBT_WARM = False


def warm_dbt(root):
    """In the warm parent, once: a throwaway `dbt parse` of a copy of the project's dbt project (one model touched,
    its partial-parse cache along), so the forks that refresh dbt state find dbt's per-process caches built (its
    serialisation code is generated on first use: seconds, more than the parse itself). Nothing of the project
    is written; .env values are not set here (they reach the forks only), so a profile needing one may fail the
    warm-up, which is a cache only."""
    global _DBT_WARM
    import shutil
    import tempfile
    from contextlib import redirect_stdout

    if _DBT_WARM:
        return
    try:
        known = json.loads((root / STATE_FILE).read_text()).get("components", {})
    except (OSError, ValueError, AttributeError):
        return
    folders = next((e["folders"] for e in known.values() if e.get("type") == "DbtProjectComponent" and e.get("folders")), None)
    if not folders:
        return
    _DBT_WARM = True
    project = Path(folders[0])
    scratch = Path(tempfile.mkdtemp(prefix="designer-dbt-warm-"))
    try:
        copy = scratch / "project"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".git", "logs", "target", "*.duckdb", "*.duckdb.wal"))
        cache = project / "target" / "partial_parse.msgpack"
        if cache.is_file():
            (copy / "target").mkdir()
            shutil.copy(cache, copy / "target" / cache.name)
        model = next(iter(sorted((copy / "models").rglob("*.sql"))), None) if (copy / "models").is_dir() else None
        if model is not None:
            with model.open("a") as file:
                file.write("\n-- designer warm-up\n")
        profiles = copy if len(folders) < 2 else Path(folders[1])
        with redirect_stdout(sys.stderr):
            _dbt_invoke(["parse", "--quiet"], copy, profiles, "target")
    except Exception:  # a cache only
        pass
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _write_known(store, known):
    store.parent.mkdir(parents=True, exist_ok=True)
    temp = store.with_suffix(".tmp")
    temp.write_text(json.dumps(known, indent=1, sort_keys=True))
    os.replace(temp, store)


# ---------------------------------------------------------------- loading, as `dg list defs` does


def _target_module(root):
    import tomllib

    for name in ("dg.toml", "pyproject.toml"):
        file = root / name
        if not file.is_file():
            continue
        config = tomllib.loads(file.read_text())
        project = config.get("project", {}) if name == "dg.toml" else config.get("tool", {}).get("dg", {}).get("project", {})
        if project.get("code_location_target_module"):
            return project["code_location_target_module"]
        if project.get("root_module"):
            return f"{project['root_module']}.definitions"
    raise RuntimeError(f"{root} has no [tool.dg.project] root_module")


def load_repository(root):
    from dagster._cli.workspace.cli_target import get_repository_python_origin_from_cli_opts
    from dagster._core.definitions.definitions_load_context import DefinitionsLoadContext, DefinitionsLoadType
    from dagster._utils.hosted_user_process import recon_repository_from_origin
    from dagster_shared.cli import PythonPointerOpts

    DefinitionsLoadContext.set(DefinitionsLoadContext(load_type=DefinitionsLoadType.INITIALIZATION))
    origin = get_repository_python_origin_from_cli_opts(
        PythonPointerOpts(module_name=_target_module(root), working_directory=str(root))
    )
    return recon_repository_from_origin(origin).get_definition()


def _names_in(defs):
    """Every definition a Definitions object holds, as (kind, name) pairs."""
    names = set()
    for item in defs.assets or []:
        if hasattr(item, "specs"):
            names.update(("asset", spec.key.to_user_string()) for spec in item.specs)
            names.update(("check", key.to_user_string()) for key in getattr(item, "check_keys", []) or [])
        elif hasattr(item, "key"):
            names.add(("asset", item.key.to_user_string()))
    for item in defs.asset_checks or []:
        names.update(("check", key.to_user_string()) for key in getattr(item, "check_keys", []) or [])
    for kind, items in (("job", defs.jobs), ("schedule", defs.schedules), ("sensor", defs.sensors)):
        names.update((kind, item.name) for item in items or [] if hasattr(item, "name"))
    names.update(("resource", key) for key in (defs.resources or {}))
    return names


def attribution(repo, root):
    """(kind, name) → {path, document?} relative to defs/: the deepest component tree entry that defines it."""
    from dagster.components.core.defs_module import ComponentPath, find_defs_or_component_yaml

    tree = repo.get_component_tree()
    if tree is None:
        return {}
    defs_dir = Path(tree.defs_module_path)
    pairs = list(tree.find_root_decl().iterate_loc_component_decl_pairs())
    documents = {}
    for loc, _ in pairs:
        if isinstance(loc, ComponentPath) and isinstance(loc.instance_key, int):
            documents[loc.file_path] = documents.get(loc.file_path, 0) + 1
    best = {}
    for loc, _ in pairs:
        if not isinstance(loc, ComponentPath):
            continue
        defs = tree.state_tracker.get_cache_data(loc).defs
        if defs is None:
            continue
        try:
            relative = loc.file_path.relative_to(defs_dir)
        except ValueError:
            continue
        if str(relative) == ".":
            continue
        where = {"path": relative.as_posix()}
        if loc.file_path.is_dir():
            yaml_file = find_defs_or_component_yaml(loc.file_path)
            if yaml_file is not None:
                where["path"] = f"{relative.as_posix()}/{yaml_file.name}"
                if isinstance(loc.instance_key, int) and documents.get(loc.file_path, 0) > 1:
                    where["document"] = loc.instance_key
        depth = (len(relative.parts), loc.instance_key is not None)
        for name in _names_in(defs):
            if name not in best or depth > best[name][0]:
                best[name] = (depth, where)
    return {name: where for name, (_, where) in best.items()}


def _source(metadata, root, defs_dir):
    """`defined_at` from Dagster's code references (what `dg list defs` shows as `source`), for definitions
    the component tree does not hold."""
    refs = (metadata or {}).get("dagster/code_references")
    for ref in getattr(refs, "code_references", None) or []:
        source = getattr(ref, "file_path", None)
        if source and Path(source).is_relative_to(defs_dir):
            return {"path": Path(source).relative_to(defs_dir).as_posix()}
    return None


def _partitions(partitions_def):
    """An asset's partitions: Dagster's words for them, how many there are now, the first and last key."""
    from dagster import StaticPartitionsDefinition, TimeWindowPartitionsDefinition

    kind = (
        "time_window"
        if isinstance(partitions_def, TimeWindowPartitionsDefinition)
        else "static"
        if isinstance(partitions_def, StaticPartitionsDefinition)
        else type(partitions_def).__name__.replace("PartitionsDefinition", "").lower() or "other"
    )
    out = {"type": kind, "description": str(partitions_def), "count": 0}
    try:
        out["count"] = partitions_def.get_num_partitions()
        if out["count"]:
            out["first"] = partitions_def.get_first_partition_key()
            out["last"] = partitions_def.get_last_partition_key()
    except Exception:  # a dynamic definition needs an instance: its keys are unknown here
        pass
    return out


def describe(repo, root):
    from dagster._config.pythonic_config.resource import get_resource_type_name
    from dagster._core.definitions.assets.job.asset_job import is_reserved_asset_job_name

    tree = repo.get_component_tree()
    defs_dir = Path(tree.defs_module_path) if tree is not None else root
    where = attribution(repo, root)

    def at(kind, name, metadata=None):
        found = where.get((kind, name)) or _source(metadata, root, defs_dir)
        return {"defined_at": found} if found else {}

    graph = repo.asset_graph
    assets = []
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        name = key.to_user_string()
        asset = {
            "key": name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "kinds": sorted(node.kinds),
            "owners": list(node.owners),
            "tags": {k: v for k, v in node.tags.items() if not k.startswith("dagster/kind")},
            "metadata": _metadata(node.metadata),
            "is_executable": node.is_executable,
            **at("asset", name, node.metadata),
        }
        if node.group_name:
            asset["group_name"] = node.group_name
        if node.description:
            asset["description"] = node.description
        if node.partitions_def is not None:
            asset["partitions"] = _partitions(node.partitions_def)
        assets.append(asset)
    checks = []
    for key in sorted(graph.asset_check_keys, key=lambda k: k.to_user_string()):
        node = graph.get(key)
        check = {
            "key": key.to_user_string(),
            "asset": key.asset_key.to_user_string(),
            "name": key.name,
            "blocking": bool(node.blocking),
            "additional_deps": sorted(k.to_user_string() for k in node.parent_entity_keys),
            **at("check", key.to_user_string(), node.metadata),
        }
        if node.description:
            check["description"] = node.description
        checks.append(check)
    def targets(job_names):
        # The assets a job (or the job of a schedule or sensor) materializes: its resolved asset selection. `dg list
        # defs` does not list them; the canvas draws them as read-only relations.
        keys = set()
        for job_name in job_names:
            try:
                keys.update(k.to_user_string() for k in repo.get_job(job_name).asset_layer.selected_asset_keys)
            except Exception:  # an op job, or a target that does not resolve: no assets to name
                pass
        return {"asset_keys": sorted(keys)} if keys else {}

    jobs = []
    for job in repo.get_all_jobs():
        if is_reserved_asset_job_name(job.name):
            continue
        item = {"name": job.name, **at("job", job.name, job.metadata), **targets([job.name])}
        if job.description:
            item["description"] = job.description
        jobs.append(item)
    schedules = []
    for schedule in repo.schedule_defs:
        cron = schedule.cron_schedule
        item = {
            "name": schedule.name,
            "cron_schedule": cron if isinstance(cron, str) else ", ".join(cron),
            **at("schedule", schedule.name, schedule.metadata),
        }
        for field in ("execution_timezone", "description", "job_name"):
            try:
                value = getattr(schedule, field)
            except Exception:  # a schedule without a resolvable job answers by raising
                value = None
            if value:
                item[field] = value
        if schedule.default_status is not None:
            item["default_status"] = schedule.default_status.value
        item.update(targets([item["job_name"]] if item.get("job_name") else []))
        schedules.append(item)
    sensors = []
    for sensor in repo.sensor_defs:
        try:
            job_names = sorted({target.job_name for target in sensor.targets})
        except Exception:
            job_names = []
        item = {
            "name": sensor.name,
            "job_names": job_names,
            "sensor_type": sensor.sensor_type.value,
            "minimum_interval_seconds": sensor.minimum_interval_seconds,
            **at("sensor", sensor.name, sensor.metadata),
        }
        if sensor.description:
            item["description"] = sensor.description
        if sensor.default_status is not None:
            item["default_status"] = sensor.default_status.value
        item.update(targets(job_names))
        sensors.append(item)
    resources = [
        {"key": name, "type": get_resource_type_name(resource), **at("resource", name)}
        for name, resource in sorted(repo.get_top_level_resources().items())
    ]
    return {
        "assets": assets,
        "checks": checks,
        "jobs": sorted(jobs, key=lambda j: j["name"]),
        "schedules": sorted(schedules, key=lambda s: s["name"]),
        "sensors": sorted(sensors, key=lambda s: s["name"]),
        "resources": resources,
    }


def _located(error, root):
    """The Problem of a failed load, at its component tree entry and file when they can be found."""
    problem = _problem(error, root)
    if "component" in problem and "file" not in problem:
        problem["file"] = _component_file(root, problem["component"])
    if "component" not in problem and "file" not in problem:
        try:
            locate_by_folder(root, problem)
        except Exception:
            pass
    if "component" not in problem and "file" in problem:
        # A module under defs/ that raised (its traceback's last project frame) or a defs.yaml that does not
        # parse: that entry of the tree.
        defs_dir = _defs_dir(root).resolve()
        file = (root / problem["file"]).resolve()
        if file.is_relative_to(defs_dir):
            if file.suffix == ".py" and file.name != "__init__.py":
                problem["component"] = file.relative_to(defs_dir).as_posix()
            elif file.name in ("defs.yaml", "defs.yml", "component.yaml") and file.parent != defs_dir:
                problem["component"] = file.parent.relative_to(defs_dir).as_posix()
    return problem


def load_without_failing(root, env, problem, steps, attempts=5):
    """After a failed whole load: the project loaded again as Dagster loads it, with the failing component tree
    entries left out (as if their folder or module were not there), so everything else, resources defined
    elsewhere included, resolves as in the whole load. Answers (what it defines, the problems of the entries
    left out), or None when a failure names no entry of defs/ (then nothing can honestly be shown)."""
    defs_dir = _defs_dir(root).resolve()
    problems, skipped = [problem], set()
    for _ in range(attempts):
        component = problems[-1].get("component")
        path = (defs_dir / component).resolve() if component else None
        if path is None or path == defs_dir or not path.is_relative_to(defs_dir) or path in skipped:
            return None
        skipped.add(path)
        with _leaving_out(skipped):
            again = []
            try:
                refresh_changed_state(root, env, again, record=False)
            except Exception as error:
                problems.append(_state_problem(error, root))
                continue
            finally:  # a refresh that only this attempt ran is shown; the state already listed is not again
                listed = {step["id"] for step in steps}
                steps.extend(step for step in again if step["id"] not in listed)
            try:
                repo = load_repository(root)
                return describe(repo, root), problems
            except Exception as error:
                problems.append(_located(error, root))
    return None


class _leaving_out:
    """Dagster's defs-folder discovery (`build_filesystem_component_decl_from_context`, which every folder's
    children go through) answers "nothing here" for the given paths, for the time of one load in this fork."""

    def __init__(self, paths):
        self.paths = paths

    def __enter__(self):
        from dagster.components.core import decl

        self.original = decl.build_filesystem_component_decl_from_context
        original, paths = self.original, self.paths

        def discover(context):
            if Path(context.path).resolve() in paths:
                return None
            return original(context)

        decl.build_filesystem_component_decl_from_context = discover
        return self

    def __exit__(self, *exc):
        from dagster.components.core import decl

        decl.build_filesystem_component_decl_from_context = self.original
        return False


def locate_by_folder(root, problem):
    """When a failed whole load names no place: build the top-level defs entries one by one and keep the one
    that fails with the same error (a folder that only misses something defined elsewhere is not blamed)."""
    from dagster.components.core.component_tree import ComponentTree

    tree = ComponentTree.for_project(root)
    defs_dir = Path(tree.defs_module_path)
    for entry in sorted(defs_dir.iterdir()):
        if entry.name.startswith(("_", ".")) or not (entry.is_dir() or entry.suffix == ".py"):
            continue
        try:
            tree.build_defs_at_path(entry)
        except Exception as error:
            found = _problem(error, root)
            if found["message"] == problem["message"]:
                problem["component"] = entry.relative_to(defs_dir).as_posix()
                for field in ("file", "line"):
                    if field in found and field not in problem:
                        problem[field] = found[field]
                return


def _defs_dir(root):
    """src/<pkg>/defs (or <pkg>/defs), from the project's config, without importing anything."""
    from dagster_shared.utils.config import get_canonical_defs_module_name

    module = _target_module(root).rsplit(".", 1)[0]
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text()).get("tool", {}).get("dg", {}).get("project", {})
    name = get_canonical_defs_module_name(project.get("defs_module"), project.get("root_module") or module)
    for base in (root / "src", root):
        candidate = base.joinpath(*name.split("."))
        if candidate.is_dir():
            return candidate
    return root / "src" / module / "defs"


def _component_file(root, component):
    """The file a component tree entry names: its defs.yaml for a folder, the module itself for a .py."""
    path = _defs_dir(root) / component
    for name in ("defs.yaml", "defs.yml", "component.yaml"):
        if (path / name).is_file():
            return _relative(path / name, root)
    return _relative(path, root)


EMPTY = {"assets": [], "checks": [], "jobs": [], "schedules": [], "sensors": [], "resources": []}


def inspect(root, env, steps):
    root = Path(root).resolve()
    os.environ.pop("DAGSTER_IS_DEV_CLI", None)  # state is refreshed above, when its inputs changed, not per load
    try:
        refresh_changed_state(root, env, steps)
    except Exception as error:
        problem = _state_problem(error, root)
        return _partial_answer(root, env, problem, steps) if "component" in problem else {**EMPTY, "problems": [problem]}
    began = time.perf_counter()
    _progress({"step": "load", "label": "Load the definitions", "status": "running"})
    try:
        repo = load_repository(root)
    except Exception as error:
        steps.append(_step("load", "Load the definitions", began, "failed"))
        return _partial_answer(root, env, _located(error, root), steps)
    steps.append(_step("load", "Load the definitions", began))
    began = time.perf_counter()
    result = describe(repo, root)
    steps.append(_step("describe", "List what they define", began))
    return {**result, "problems": []}


def _state_problem(error, root):
    """The Problem of a failed state step: a component that did not load (located as a load error would be), or
    the component whose refresh failed."""
    if getattr(error, "designer_discovery", False):
        return _located(error, root)
    problem = _problem(error, root)
    component = getattr(error, "designer_component", None)
    if component is not None:
        problem.setdefault("component", component)
        problem.setdefault("file", _component_file(root, component))
    return problem


def _partial_answer(root, env, problem, steps):
    """What the project defines without the entries that failed, marked partial; or the problem alone."""
    began = time.perf_counter()
    _progress({"step": "partial", "label": "Load the definitions that do load", "status": "running"})
    try:
        partial = load_without_failing(root, env, problem, steps)
    except Exception:
        partial = None
    if partial is None:
        return {**EMPTY, "problems": [problem]}
    result, problems = partial
    failed = len({p.get("component") for p in problems})
    steps.append(_step("partial", "Load the definitions that do load", began, detail=f"{failed} left out"))
    return {**result, "problems": problems, "partial": True}


def _step(step_id, label, began, status="done", detail=None):
    step = {"id": step_id, "label": label, "durationMs": round((time.perf_counter() - began) * 1000, 1), "status": status}
    if detail:
        step["detail"] = detail
    return step


_PROGRESS_FD = None


def _progress(event):
    """A progress line for the parent (which relays it), e.g. while dbt parses."""
    if _PROGRESS_FD is not None:
        try:
            os.write(_PROGRESS_FD, (json.dumps(event) + "\n").encode())
        except OSError:
            pass


# ---------------------------------------------------------------- script files nodes point at


def _importable(name, script_dir):
    top = name.split(".")[0]
    if (script_dir / f"{top}.py").exists() or (script_dir / top).is_dir():
        return True  # a module next to the script: the script's folder is first on sys.path when it runs
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def check_scripts(root, scripts):
    problems = []
    for script in scripts:
        relative = script["path"]
        where = {"folder": script["folder"], "file": relative, "field": script["field"]}
        path = (root / relative).resolve()
        if root not in path.parents or not path.is_file():
            problems.append({"severity": "error", "message": f"{relative} does not exist.", **where})
            continue
        if path.suffix != ".py":
            continue
        try:
            tree = ast.parse(path.read_bytes(), filename=relative)
        except SyntaxError as error:
            problems.append(
                {"severity": "error", "message": f"SyntaxError: {error.msg}", **where, "line": error.lineno or 1}
            )
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if not _importable(name, path.parent):
                    top = name.split(".")[0]
                    problems.append(
                        {
                            "severity": "error",
                            "message": f"ModuleNotFoundError: No module named '{top}'",
                            **where,
                            "line": node.lineno,
                            "missing_module": top,
                        }
                    )
    return problems


def answer(root, request=None):
    request = request or {}
    env = {str(k): str(v) for k, v in (request.get("env") or {}).items()}
    os.environ.update(env)
    root_path = Path(root).resolve()
    steps = []
    try:
        result = inspect(root, env, steps)
    except Exception as error:
        result = {**EMPTY, "problems": [_problem(error, root_path)]}
    began = time.perf_counter()
    try:
        scripts = request.get("scripts") or []
        result["problems"].extend(check_scripts(root_path, scripts))
        if scripts:
            steps.append(_step("scripts", "Check the script files", began))
    except Exception as error:
        result["problems"].append(_problem(error, root_path))
    result["steps"] = steps
    return result


def _third_party_modules(before):
    """Modules a load imported from the environment (never the project's own), submodules included: the parent
    imports them too, so the next forks find them loaded instead of importing (and, without bytecode, compiling)
    them again."""
    prefix = os.path.realpath(sys.prefix)
    names = set()
    for name, module in list(sys.modules.items()):
        if name in before:
            continue
        file = getattr(module, "__file__", None) or ""
        if file and os.path.realpath(file).startswith(prefix) and "site-packages" in file:
            names.add(name)
    return sorted(names)


def _library_json_once():
    """Dagster's root component adds one metadata entry to every load: the JSON schemas of every installed
    component type (`get_library_json_enriched_defs`), a pure function of the installed libraries that costs a
    third of a warm load. Computed once here, the same value is given to every load of this process (which is
    restarted whenever the libraries change: `uv add` stops it)."""
    from dagster import Definitions
    from dagster.components.core import load_defs

    blob = load_defs.get_library_json_enriched_defs(None).metadata

    def enriched(tree):
        return Definitions(metadata=blob, component_tree=tree)

    load_defs.get_library_json_enriched_defs = enriched


def serve(root):
    global _PROGRESS_FD
    import dagster  # noqa: F401  (the slow import, paid once)
    import dagster.components.core.component_tree  # noqa: F401
    from dagster._cli.workspace import cli_target  # noqa: F401
    from dagster._utils import hosted_user_process  # noqa: F401

    try:
        _library_json_once()
    except Exception:  # then every load computes it, as Dagster does
        pass

    print(json.dumps({"ready": True}), flush=True)
    for line in _requests():
        request = json.loads(line)
        read_end, write_end = os.pipe()
        progress_read, progress_write = os.pipe()
        before = set(sys.modules)
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            os.close(progress_read)
            _PROGRESS_FD = progress_write
            os.dup2(2, 1)  # whatever the project prints goes to stderr, never into the protocol
            result = answer(root, request)
            result["warmModules"] = _third_party_modules(before)
            data = json.dumps(result).encode()
            os.close(progress_write)  # the parent reads progress until this closes, then the answer
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            os._exit(0)
        os.close(write_end)
        os.close(progress_write)
        _relay_progress(progress_read, request.get("id"))
        with os.fdopen(read_end, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(pid, 0)
        if not payload:
            payload = json.dumps(
                {**EMPTY, "steps": [], "problems": [{"severity": "error", "message": f"The inspection process died (status {status})."}]}
            ).encode()
        result = json.loads(payload)
        warm_modules = result.pop("warmModules", [])
        sys.stdout.write(json.dumps({"id": request.get("id")}) + "\t" + json.dumps(result) + "\n")
        sys.stdout.flush()
        for name in warm_modules:  # after answering: the next request finds them loaded
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except Exception:
                    pass
        if not _request_waiting(timeout=1.0):
            if not _DBT_WARM:
                warm_dbt(Path(root).resolve())
            _give_back_memory()


def _give_back_memory():
    """While idle: collects the garbage of the last request and of the dbt warm-up, and hands freed heap pages back
    to the system (glibc keeps them otherwise), so an idle warm process holds what the next fork needs and no more."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the collection alone
        pass


_STDIN = bytearray()


def _requests():
    """The request lines from stdin, read unbuffered by Python so that `_request_waiting` sees all that waits."""
    while True:
        while b"\n" not in _STDIN:
            chunk = os.read(0, 65536)
            if not chunk:
                return
            _STDIN.extend(chunk)
        end = _STDIN.index(b"\n")
        line = bytes(_STDIN[:end]).decode()
        del _STDIN[: end + 1]
        if line.strip():
            yield line


def _request_waiting(timeout=0.0):
    """True when a request is waiting or comes within `timeout` seconds (the parent is idle otherwise)."""
    import select

    return b"\n" in _STDIN or bool(select.select([0], [], [], timeout)[0])


def _relay_progress(fd, request_id):
    """Passes the child's progress lines on until it closes its end (when it exits)."""
    with os.fdopen(fd, "rb") as source:
        for raw in source:
            sys.stdout.write(json.dumps({"id": request_id, "progress": True}) + "\t" + raw.decode().strip() + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve(sys.argv[1])
    else:
        print(json.dumps(answer(sys.argv[1])))
