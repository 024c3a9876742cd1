"""Dumps every component registered in a Dagster project's environment, with its schemas.

Run with the project's own interpreter: `python catalog.py <project_dir>`. It builds dg's registry
once and asks it what `dg list components` and `dg utils inspect-component` would print for each
type, so one process answers what would otherwise take one `dg` call per type.
Exit 3 means dg's internals moved: the caller falls back to the `dg` command line.
"""

import json
import sys
from pathlib import Path


def main() -> int:
    try:
        from dagster_dg_cli.cli.utils import (
            _generate_defs_yaml_example_values,
            _generate_defs_yaml_json_schema,
        )
        from dagster_dg_core.component import EnvRegistry
        from dagster_dg_core.context import DgContext
    except ImportError as error:
        print(f"dg internals not found: {error}", file=sys.stderr)
        return 3

    context = DgContext.from_file_discovery_and_command_line_config(Path(sys.argv[1]), {})
    registry = EnvRegistry.from_dg_context(context)
    components = []
    for obj in sorted(registry.get_objects(feature="component"), key=lambda o: o.key.to_typename()):
        type_name = obj.key.to_typename()
        try:
            example = _generate_defs_yaml_example_values(type_name, obj)
        except Exception:  # an example is a nicety; a type whose schema cannot be sampled still lists
            example = None
        components.append(
            {
                "type": type_name,
                "summary": obj.summary,
                "description": obj.description,
                "schema": obj.component_schema or {},
                "defsYamlSchema": _generate_defs_yaml_json_schema(type_name, obj),
                "scaffoldSchema": obj.scaffolder_schema,
                "example": example,
            }
        )
    json.dump({"components": components}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
