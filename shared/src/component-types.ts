// How a component type reads to a person: "dagster_dbt.DbtProjectComponent" → "Dbt Project", category "dbt".

export interface TypeDescription {
  name: string;
  module: string;
  category: string;
}

export function describeType(type: string): TypeDescription {
  const dot = type.lastIndexOf('.');
  const module = type.slice(0, dot);
  const className = type.slice(dot + 1);
  const top = module.split('.')[0]!;
  const category =
    top === 'dagster' ? 'dagster' : top.startsWith('dagster_') ? top.slice('dagster_'.length) : 'project';
  const name =
    className
      .replace(/Component$/, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') || className;
  return { name, module, category };
}

/** The Python library a component type lives in, as `uv add` names it (dagster_dbt → dagster-dbt). */
export function libraryOf(type: string): string {
  return type.split('.')[0]!.replace(/_/g, '-');
}

/**
 * What a new node of a type starts with, so it is valid (or nearly) the moment it lands on the canvas:
 * a script or SQL component declares one asset named after the node, and a script gets its starter file.
 */
export function defaultAttributes(type: string, label: string): Record<string, unknown> {
  if (type === 'dagster.PythonScriptComponent')
    return { assets: [{ key: label }], execution: { path: `${label}.py` } };
  if (type === 'dagster.TemplatedSqlComponent')
    return { assets: [{ key: label }], sql_template: { path: `${label}.sql` } };
  return {};
}
