"""Loads a Dagster project's real definitions and prints its assets and problems as JSON.

`python inspect_defs.py <project_root>` answers once. With `--serve` it imports dagster once and then
answers one request per line of stdin, each in a fresh forked child, so every answer sees the files as
they are now while the slow import is paid only once (seed 001; DESIGN.md "Inspect").

A request may carry `env` (the project's .env values, set in the child only) and `scripts`: the files nodes
point at (Pipes scripts, SQL templates), which Dagster does not load with the definitions. Those are checked
here the way a run would meet them: missing file, Python syntax error, top-level import that cannot resolve.
"""

import ast
import importlib.util
import json
import os
import re
import sys
import traceback
from pathlib import Path

YAML_LOCATION = re.compile(r"([\w./\\-]+\.ya?ml):(\d+)")


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
    try:
        return str(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _asset(spec):
    tags = {k: v for k, v in (spec.tags or {}).items() if not k.startswith("dagster/kind/")}
    out = {
        "key": spec.key.to_user_string(),
        "deps": sorted(dep.asset_key.to_user_string() for dep in spec.deps),
        "kinds": sorted(spec.kinds or []),
        "owners": list(spec.owners or []),
        "tags": tags,
        "metadata": _json_safe({k: v for k, v in (spec.metadata or {}).items() if k != "dagster/code_references"}),
    }
    if spec.group_name:
        out["group_name"] = spec.group_name
    if spec.description:
        out["description"] = spec.description
    return out


def _root_cause(error):
    seen = set()
    while (error.__cause__ or error.__context__) is not None and id(error) not in seen:
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return error


def _problem(error, root, folder=None):
    """A Problem for an exception: its root cause, and the file:line that caused it when one can be found."""
    outer = error
    error = _root_cause(error)
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    located = YAML_LOCATION.search(message) or YAML_LOCATION.search(str(outer))
    problem = {"severity": "error", "message": message}
    if folder:
        problem["folder"] = folder
    if isinstance(error, SyntaxError) and error.filename:
        problem["file"], problem["line"] = error.filename, error.lineno
    else:
        if located:
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
    if "file" in problem:
        try:
            problem["file"] = str(Path(problem["file"]).resolve().relative_to(root))
        except ValueError:
            pass
    if isinstance(error, ModuleNotFoundError):
        problem["missing_module"] = error.name
    return problem


def _defined_keys(defs):
    keys = set()
    for item in defs.assets or []:
        if hasattr(item, "keys") and callable(getattr(item, "is_external", None)) and item.is_external:
            continue
        if hasattr(item, "specs"):
            keys.update(spec.key.to_user_string() for spec in item.specs)
        elif hasattr(item, "key") and type(item).__name__ == "AssetSpec":
            keys.add(item.key.to_user_string())
    return keys


def inspect(root):
    from dagster.components.core.component_tree import ComponentTree

    root = Path(root).resolve()
    tree = ComponentTree.for_project(root)
    defs_dir = Path(tree.defs_module_path)
    folders = sorted(
        d.name for d in defs_dir.iterdir() if d.is_dir() and not d.name.startswith(("_", "."))
    )
    problems, owner, by_folder = [], {}, {}
    for folder in folders:
        try:
            defs = tree.build_defs_at_path(defs_dir / folder)
            specs = list(defs.resolve_all_asset_specs())
            by_folder[folder] = specs
            # A folder owns the assets it defines, not the upstream keys its specs merely depend on.
            for key in _defined_keys(defs):
                owner[key] = folder
        except Exception as error:  # each broken component becomes a problem on its node
            problems.append(_problem(error, root, folder))
    specs = None
    if not problems:
        try:
            specs = list(tree.build_defs().resolve_all_asset_specs())
        except Exception as error:
            problems.append(_problem(error, root))
    if specs is None:
        specs = [s for folder in folders for s in by_folder.get(folder, [])]
    assets = []
    for spec in specs:
        asset = _asset(spec)
        if asset["key"] in owner:
            asset["folder"] = owner[asset["key"]]
        assets.append(asset)
    return {"assets": assets, "problems": problems}


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
    os.environ.update({str(k): str(v) for k, v in (request.get("env") or {}).items()})
    root_path = Path(root).resolve()
    try:
        result = inspect(root)
    except Exception as error:
        result = {"assets": [], "problems": [_problem(error, root_path)]}
    try:
        result["problems"].extend(check_scripts(root_path, request.get("scripts") or []))
    except Exception as error:
        result["problems"].append(_problem(error, root_path))
    return result


def serve(root):
    import dagster  # noqa: F401  (the slow import, paid once)
    import dagster.components.core.component_tree  # noqa: F401

    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            os.dup2(2, 1)  # whatever the project prints goes to stderr, never into the protocol
            data = json.dumps(answer(root, request)).encode()
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as source:
            payload = source.read()
        _, status = os.waitpid(pid, 0)
        if not payload:
            payload = json.dumps(
                {"assets": [], "problems": [{"severity": "error", "message": f"The inspection process died (status {status})."}]}
            ).encode()
        sys.stdout.write(json.dumps({"id": request.get("id")}) + "\t" + payload.decode() + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if "--serve" in sys.argv:
        serve(sys.argv[1])
    else:
        print(json.dumps(answer(sys.argv[1])))
