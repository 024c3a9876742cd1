// Reading a project file: JSON, then migrated to the current format, cleaned of fields the format does not have,
// and checked; a corrupt or future-format file is an error, never a guess.
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { migrateProjectFile, ProjectFile, ProjectFormatError } from '@designer/shared';
import { AppError } from '../errors.js';

export const checkProjectFile = TypeCompiler.Compile(ProjectFile);

/** Parses and checks one project file; a corrupt or future-format file is an error, never a guess. */
export function parseProjectFile(text: string, id: string): ProjectFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError(
      422,
      'corrupt_project',
      `The file of project ${id} is not valid JSON.`,
      'Restore it from a backup or Git; the designer will not overwrite it.',
    );
  }
  let doc: Record<string, unknown>;
  try {
    doc = migrateProjectFile(raw);
  } catch (error) {
    if (error instanceof ProjectFormatError) {
      const hint =
        error.code === 'future_format'
          ? 'Open it with a newer Dagster Designer.'
          : 'Restore it from a backup or Git.';
      throw new AppError(422, error.code, error.message, hint);
    }
    throw error;
  }
  // Fields the format does not have (a file written before its objects were closed, or edited by hand) are
  // dropped, as the response serialiser always dropped them.
  Value.Clean(ProjectFile, doc);
  if (!checkProjectFile.Check(doc)) {
    const first = checkProjectFile.Errors(doc).First();
    throw new AppError(
      422,
      'corrupt_project',
      `The file of project ${id} does not match the project format at ${first?.path || '/'}: ${first?.message}.`,
    );
  }
  if (doc.id !== id)
    throw new AppError(
      422,
      'corrupt_project',
      `The file of project ${id} carries another id (${String(doc.id)}).`,
    );
  return doc;
}
