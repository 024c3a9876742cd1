// Component attributes that are a path to a file or folder of the project, and how Dagster 1.13 reads each one
// (checked in its source): the form offers the workspace's matching files as choices, and sync says where a path
// that leads nowhere resolved to. Pure: the web chooser and the server's problems share it.

export interface PathAttribute {
  /** Dotted field in `attributes`; `[]` stands for every item of a list (`replications[].path`). */
  field: string;
  kind: 'file' | 'folder';
  /** A file's name endings (`.py`), or the file a folder holds (`dbt_project.yml`). */
  accepts: readonly string[];
  /**
   * What a relative value is read from: the folder of the component's defs.yaml (Dagster's `context.path`, or
   * `resolve_source_relative_path`), or the folder Dagster runs in, the project's.
   */
  relativeTo: 'component' | 'project';
  /** Dagster reads it while loading the definitions (a bad path fails the load), not only when running. */
  readAtLoad: boolean;
  /** In the user's words. */
  what: string;
}

const script = (what: string): PathAttribute => ({
  field: 'execution.path',
  kind: 'file',
  accepts: ['.py'],
  relativeTo: 'component', // script_utils.get_cmd: os.path.join(context.path, spec.path)
  readAtLoad: false,
  what,
});

/** By component type. Python references (dlt's `loads[].source`, a function's `fn`) are not paths. */
export const PATH_ATTRIBUTES: Readonly<Record<string, readonly PathAttribute[]>> = {
  'dagster_dbt.DbtProjectComponent': [
    {
      field: 'project', // DbtProjectArgs: resolve_source_relative_path (a string, or project_dir of an object)
      kind: 'folder',
      accepts: ['dbt_project.yml'],
      relativeTo: 'component',
      readAtLoad: true,
      what: 'dbt project',
    },
  ],
  'dagster.PythonScriptComponent': [script('Python script')],
  'dagster.UvRunComponent': [script('Python script')],
  'dagster.TemplatedSqlComponent': [
    {
      field: 'sql_template.path', // sql_component: context.path / sql_template.path
      kind: 'file',
      accepts: ['.sql'],
      relativeTo: 'component',
      readAtLoad: false,
      what: 'SQL template',
    },
  ],
  'dagster_sling.SlingReplicationCollectionComponent': [
    {
      field: 'replications[].path', // context.path / replication.path, read to list the streams
      kind: 'file',
      accepts: ['.yaml', '.yml'],
      relativeTo: 'component',
      readAtLoad: true,
      what: 'Sling replication file',
    },
  ],
  'dagster.DefinitionsComponent': [
    {
      field: 'path', // Path(self.path): the process's folder, where dg runs (the project)
      kind: 'file',
      accepts: ['.py'],
      relativeTo: 'project',
      readAtLoad: true,
      what: 'Python definitions module',
    },
  ],
};

export const pathAttributesOf = (componentType: string): readonly PathAttribute[] =>
  PATH_ATTRIBUTES[componentType] ?? [];

export const PROJECT_ROOT_PREFIX = '{{ context.project_root }}/';
const ROOTED = /^\{\{\s*context\.project_root\s*\}\}\/?(.*)$/;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface PathValue {
  attribute: PathAttribute;
  /** The concrete dotted field (`replications.0.path`, `project.project_dir`), as problems and the form name it. */
  field: string;
  /** The value written, or null when the field is empty. */
  value: string | null;
}

/** Every path attribute of a node's attributes, one per list item (an empty list gives none). */
export function pathValues(componentType: string, attributes: Record<string, unknown>): PathValue[] {
  const out: PathValue[] = [];
  for (const attribute of pathAttributesOf(componentType)) {
    const walk = (value: unknown, parts: string[], at: string[]): void => {
      if (parts.length === 0) {
        // dbt's `project` may be an object whose project_dir is the path.
        if (isObject(value) && attribute.kind === 'folder' && typeof value.project_dir === 'string')
          out.push({ attribute, field: [...at, 'project_dir'].join('.'), value: value.project_dir });
        else out.push({ attribute, field: at.join('.'), value: typeof value === 'string' ? value : null });
        return;
      }
      const [head, ...rest] = parts as [string, ...string[]];
      if (head.endsWith('[]')) {
        const list = isObject(value) ? value[head.slice(0, -2)] : undefined;
        if (Array.isArray(list))
          list.forEach((item, i) => walk(item, rest, [...at, head.slice(0, -2), String(i)]));
        return;
      }
      walk(isObject(value) ? value[head] : undefined, rest, [...at, head]);
    };
    walk(attributes, attribute.field.split('.'), []);
  }
  return out;
}

/** `a/./b/../c` → `a/c`; null when it climbs out of the project. */
export function normalisePath(relative: string): string | null {
  const parts: string[] = [];
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.pop() === undefined) return null;
    } else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Where a value points, relative to the workspace (`/`-separated), as Dagster reads it: `{{ context.project_root
 * }}/x` from the project, a relative path from the attribute's base (`componentFolder`: the defs.yaml's folder,
 * relative to the workspace). Null for another template, an absolute path or one that leaves the project.
 */
export function resolvePathValue(
  value: string,
  attribute: PathAttribute,
  componentFolder: string,
): string | null {
  const rooted = ROOTED.exec(value.trim());
  if (rooted) return normalisePath(rooted[1]!);
  if (value.includes('{{') || value.startsWith('/')) return null;
  const base = attribute.relativeTo === 'project' ? '' : componentFolder;
  return normalisePath(base ? `${base}/${value}` : value);
}

/**
 * The workspace files (or folders) an attribute can point at, from the list of the workspace's files. Component
 * files (`defs.yaml`) and the files of a dbt project (its YAML, its models' SQL) are never offered as a file of
 * another kind.
 */
export function pathChoices(attribute: PathAttribute, files: readonly string[]): string[] {
  const folderOf = (f: string) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '');
  if (attribute.kind === 'folder') {
    const found = files
      .filter((f) => attribute.accepts.some((name) => f === name || f.endsWith(`/${name}`)))
      .map(folderOf)
      .filter((f) => f !== '');
    return nearestFirst([...new Set(found)]);
  }
  const dbtProjects = files.filter((f) => /(^|\/)dbt_project\.yml$/.test(f)).map(folderOf);
  const inDbtProject = (f: string) => dbtProjects.some((d) => d === '' || f.startsWith(`${d}/`));
  return nearestFirst(
    files.filter(
      (f) =>
        attribute.accepts.some((end) => f.toLowerCase().endsWith(end)) &&
        !/(^|\/)defs\.ya?ml$/.test(f) &&
        !inDbtProject(f) &&
        !(attribute.accepts.includes('.py') && notAScript(f)),
    ),
  );
}

/**
 * Python files that are no script or definitions module of the user's: a package's `__init__.py`, the project's
 * `definitions.py` (what `dg` loads, holding every component), tests and their `conftest.py`. Offered as a
 * script, they would run the package or the whole project.
 */
export function notAScript(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return (
    name === '__init__.py' ||
    name === 'definitions.py' ||
    name === 'conftest.py' ||
    /^test_.*\.py$|_test\.py$/.test(name) ||
    /(^|\/)tests?\//.test(file)
  );
}

const nearestFirst = (paths: string[]) =>
  paths.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));

/**
 * What to write for a chosen workspace path: a file in the component's own folder as Dagster reads it from
 * there (`load.py`, what the Code tab and starter files expect); anything else from the project root
 * (`{{ context.project_root }}/dbt_shop`), which does not depend on where the defs.yaml is.
 */
export function pathValueFor(choice: string, attribute: PathAttribute, componentFolder: string): string {
  if (attribute.relativeTo === 'project') return choice;
  if (attribute.kind === 'file' && componentFolder && choice.startsWith(`${componentFolder}/`))
    return choice.slice(componentFolder.length + 1);
  return `${PROJECT_ROOT_PREFIX}${choice}`;
}

/** `attributes` with `value` at a dotted field (numbers index lists), every object on the way copied. */
export function setAttributeAt(
  attributes: Record<string, unknown>,
  field: string,
  value: unknown,
): Record<string, unknown> {
  const set = (holder: unknown, parts: string[]): unknown => {
    if (parts.length === 0) return value;
    const [head, ...rest] = parts as [string, ...string[]];
    if (/^\d+$/.test(head) && (Array.isArray(holder) || holder === undefined)) {
      const copy = Array.isArray(holder) ? [...(holder as unknown[])] : [];
      copy[Number(head)] = set(copy[Number(head)], rest);
      return copy;
    }
    const base = isObject(holder) ? holder : {};
    return { ...base, [head]: set(base[head], rest) };
  };
  return set(attributes, field.split('.')) as Record<string, unknown>;
}
