// Names that reach a file system path or a command line: one strict definition for both sides.

export const LABEL_PATTERN = /^[a-z][a-z0-9_]*$/;
export const PACKAGE_NAME_PATTERN = /^[a-z][a-z0-9_]*$/;
/** A component type is a full Python path: `module.sub.ClassName`. */
export const COMPONENT_TYPE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** An environment variable name, as `{{ env.NAME }}`, the env manager and run overrides accept it. */
export const ENV_VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_ENV_VAR_NAME_LENGTH = 128;
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const MAX_LABEL_LENGTH = 64;
export const MAX_PROJECT_NAME_LENGTH = 200;
export const MAX_COMPONENT_TYPE_LENGTH = 200;

const PYTHON_KEYWORDS = new Set(
  (
    'false none true and as assert async await break class continue def del elif else except finally for from ' +
    'global if import in is lambda nonlocal not or pass raise return try while with yield match case type'
  ).split(' '),
);
// Names that would shadow a library the generated project imports, or a folder create-dagster makes.
const RESERVED_PACKAGES = new Set([
  'dagster',
  'dg',
  'src',
  'test',
  'tests',
  'defs',
  'components',
  'dbt',
  'duckdb',
]);

/** Why a Python package name is not usable, or null when it is. */
export function packageNameProblem(name: string): string | null {
  if (!PACKAGE_NAME_PATTERN.test(name)) {
    return 'must start with a lowercase letter and contain only lowercase letters, digits and underscores';
  }
  if (name.length > MAX_LABEL_LENGTH) return `must be at most ${MAX_LABEL_LENGTH} characters`;
  if (PYTHON_KEYWORDS.has(name)) return 'is a Python keyword';
  if (RESERVED_PACKAGES.has(name) || name.startsWith('dagster_'))
    return 'would shadow a package Dagster needs';
  return null;
}

/** Derives the Python package name of a project from its display name ("Sales Pipeline" → "sales_pipeline"). */
export function toPackageName(displayName: string): string {
  let name = displayName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_LABEL_LENGTH);
  if (name === '') name = 'project';
  if (/^[0-9]/.test(name)) name = `p_${name}`.slice(0, MAX_LABEL_LENGTH);
  if (packageNameProblem(name) !== null) name = `my_${name}`.slice(0, MAX_LABEL_LENGTH);
  return name;
}

/** Why a node label (also its defs folder name) is not usable, or null when it is. */
export function labelProblem(label: string): string | null {
  if (!LABEL_PATTERN.test(label)) {
    return 'must start with a lowercase letter and contain only lowercase letters, digits and underscores';
  }
  if (label.length > MAX_LABEL_LENGTH) return `must be at most ${MAX_LABEL_LENGTH} characters`;
  if (PYTHON_KEYWORDS.has(label)) return 'is a Python keyword';
  return null;
}

/** Turns free text into a valid label base ("My dbt models" → "my_dbt_models"). */
export function toLabel(text: string): string {
  const base = toPackageName(text);
  return PYTHON_KEYWORDS.has(base) ? `${base}_1` : base;
}

/** First label `base`, `base_2`, `base_3`, … not in `taken`. */
export function uniqueLabel(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/_\d+$/, '') || 'node';
  if (!taken.has(base)) return base;
  for (let i = 2; ; i += 1) {
    const candidate = `${stem}_${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Characters no path segment from a request may hold: `\` (a separator elsewhere: archivers and Windows turn
 * it into `/`, so `a\..\x` climbs out), `:` (drive letters, NTFS streams, git's `ext::`), NUL and control characters.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
export const FORBIDDEN_PATH_CHARACTERS = /[\\:\u0000-\u001f\u007f]/;
export const MAX_PATH_SEGMENT_LENGTH = 255;

/** Why a `/`-separated relative path from a request is not usable, or null when it is (one rule everywhere). */
export function pathProblem(relative: string): string | null {
  if (relative === '') return 'is empty';
  if (relative.startsWith('/')) return 'must be relative (no leading "/")';
  for (const segment of relative.split('/')) {
    if (segment === '') return 'has an empty part ("//" or a trailing "/")';
    if (segment === '.' || segment === '..') return `has a "${segment}" part`;
    if (segment.startsWith('-')) return `has a part starting with "-" (${segment.slice(0, 40)})`;
    if (FORBIDDEN_PATH_CHARACTERS.test(segment))
      return 'holds a character not allowed in a file name (\\, :, NUL or a control character)';
    if (segment.length > MAX_PATH_SEGMENT_LENGTH)
      return `has a part longer than ${MAX_PATH_SEGMENT_LENGTH} characters`;
  }
  return null;
}

export function isComponentType(value: string): boolean {
  return COMPONENT_TYPE_PATTERN.test(value) && value.length <= MAX_COMPONENT_TYPE_LENGTH;
}

/** Edit distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The `count` candidates nearest to `wanted` (case-insensitive, by class name and full path). */
export function nearestNames(wanted: string, candidates: readonly string[], count = 3): string[] {
  const w = wanted.toLowerCase();
  const tail = (s: string) => s.slice(s.lastIndexOf('.') + 1);
  return candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const score = Math.min(editDistance(w, lc), editDistance(tail(w), tail(lc)) + 1);
      return { c, score: lc.includes(tail(w)) ? score - 2 : score };
    })
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, count)
    .map((x) => x.c);
}
