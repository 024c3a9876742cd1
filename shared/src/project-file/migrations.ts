// Project-file migrations: each step is a pure function from format N to N+1.
import { CURRENT_FORMAT_VERSION } from './schema.js';

export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/**
 * Format 2 added Python-definitions nodes (`type: "python"`) and `data.defined_at` (a node that is one document of
 * a multi-document defs.yaml, or a Python folder or module). A format-1 file is a valid format-2 file, so the step
 * changes nothing but the version; the bump is what makes an older designer refuse a file it cannot read
 * ("future_format") instead of failing on a node type it does not know.
 */
export const fromFormat1: Migration = (doc) => ({ ...doc });

/**
 * Format 3 added schedule nodes (`type: "schedule"`). A format-2 file is a valid format-3 file; the bump makes an
 * older designer refuse a file with a schedule node ("future_format") instead of failing on its type.
 */
export const fromFormat2: Migration = (doc) => ({ ...doc });

/** `MIGRATIONS[n]` turns a format-n document into format n+1. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: fromFormat1, 2: fromFormat2 };

export class ProjectFormatError extends Error {
  constructor(
    readonly code: 'not_an_object' | 'unknown_format' | 'future_format',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Brings a parsed project file to the current format. Never guesses: a document without a
 * known `formatVersion`, or newer than this build understands, is refused.
 */
export function migrateProjectFile(
  raw: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  current: number = CURRENT_FORMAT_VERSION,
): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ProjectFormatError('not_an_object', 'The project file is not a JSON object.');
  }
  let doc = raw as Record<string, unknown>;
  const version = doc.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProjectFormatError('unknown_format', 'The project file has no valid formatVersion.');
  }
  if (version > current) {
    throw new ProjectFormatError(
      'future_format',
      `The project file uses format ${version}; this designer reads up to format ${current}.`,
    );
  }
  for (let v = version; v < current; v += 1) {
    const step = migrations[v];
    if (!step) throw new ProjectFormatError('unknown_format', `No migration from format ${v} to ${v + 1}.`);
    doc = { ...step(doc), formatVersion: v + 1 };
  }
  return doc;
}
