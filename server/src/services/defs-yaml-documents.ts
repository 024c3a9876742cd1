// Multi-document defs.yaml: several components in one file, separated by `---`. Each document is read and
// written on its own source range only, so the other documents keep their bytes, comments and separators.
import { LineCounter, parseAllDocuments } from 'yaml';
import type { ManagedDefs } from '@designer/shared';
import { AppError } from '../errors.js';
import { readDefsYaml, writeDefsYaml, yamlLimitProblem } from './defs-yaml.js';

export interface DocumentSlice {
  /** [start, end) in the file: the slices of all documents, in order, make up the whole text. */
  start: number;
  end: number;
  text: string;
  /** 1-based line of the slice's first character in the file. */
  line: number;
}

/**
 * The source range of each YAML document of a file. A document runs from the end of the previous one (its
 * `---` line and leading comments included) to the end of its own trailing comments; the last one to the end.
 */
export function documentSlices(text: string): DocumentSlice[] {
  const limit = yamlLimitProblem(text);
  if (limit)
    throw new AppError(
      422,
      'invalid_defs_yaml',
      `defs.yaml line ${limit.line}: ${limit.message}`,
      'Fix the file by hand.',
      { line: limit.line, column: limit.column },
    );
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  if (!Array.isArray(docs)) return [{ start: 0, end: text.length, text, line: 1 }];
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) {
    const e = broken.errors[0]!;
    const at = e.linePos?.[0] ?? { line: 1, col: 1 };
    throw new AppError(
      422,
      'invalid_defs_yaml',
      `defs.yaml line ${at.line}, column ${at.col}: YAML syntax error: ${e.message.split('\n')[0]}`,
      'Fix the file by hand.',
      { line: at.line, column: at.col },
    );
  }
  if (docs.length === 0) return [{ start: 0, end: text.length, text, line: 1 }];
  const out: DocumentSlice[] = [];
  let start = 0;
  docs.forEach((doc, i) => {
    const end = i === docs.length - 1 ? text.length : doc.range[2];
    out.push({ start, end, text: text.slice(start, end), line: lines.linePos(start).line });
    start = end;
  });
  return out;
}

/** The managed keys of every document of a defs.yaml (one entry per component). */
export function readDefsYamlDocuments(text: string): Array<Record<string, unknown>> {
  return documentSlices(text).map((slice) => readDefsYaml(slice.text));
}

/**
 * `text` with document `index` holding `managed`: only that document's range is rewritten (through the same
 * Document API as a one-component file, so its own comments survive), and the whitespace that ends it (the
 * blank line before the next `---`) stays as it was.
 */
export function writeDefsYamlDocument(text: string, index: number, managed: ManagedDefs): string {
  const slices = documentSlices(text);
  const slice = slices[index];
  if (!slice)
    throw new AppError(
      409,
      'document_missing',
      `defs.yaml has ${slices.length} document(s); document ${index + 1} is gone.`,
      'The file was changed by hand: import the project again, or put the document back.',
    );
  const trailing = /\s*$/.exec(slice.text)![0];
  const written = writeDefsYaml(slice.text, managed).replace(/\s*$/, '') + trailing;
  return text.slice(0, slice.start) + written + text.slice(slice.end);
}

/**
 * `text` without the documents at `indices`: each goes with its whole range (its `---` line, leading and trailing
 * comments); every other document keeps its bytes, separators included. Answers the new text ('' when none is
 * left) and the removed slices, in the order of `indices`.
 */
export function removeDefsYamlDocuments(
  text: string,
  indices: readonly number[],
): { text: string; removed: string[] } {
  const slices = documentSlices(text);
  const missing = indices.find((i) => !slices[i]);
  if (missing !== undefined)
    throw new AppError(
      409,
      'document_missing',
      `defs.yaml has ${slices.length} document(s); document ${missing + 1} is gone.`,
      'The file was changed by hand: import the project again, or put the document back.',
    );
  const gone = new Set(indices);
  const kept = slices.filter((_, i) => !gone.has(i)).map((s) => s.text);
  return { text: kept.join(''), removed: indices.map((i) => slices[i]!.text) };
}

/**
 * `text` with `document` (a slice removed before) back at position `index`. A document that lands after another
 * needs a `---` line before it, and one that lands before the old first needs one after it (the first document
 * of a file often has none): those separators are the only bytes added.
 */
export function insertDefsYamlDocument(text: string, index: number, document: string): string {
  const slices = text.trim() === '' ? [] : documentSlices(text);
  const at = Math.min(Math.max(index, 0), slices.length);
  const startsDocument = (s: string) => /^(\s*#[^\n]*\n)*\s*---(\s|$)/.test(s);
  let piece = document.endsWith('\n') ? document : `${document}\n`;
  if (at > 0 && !startsDocument(piece)) piece = `---\n${piece}`;
  const next = slices[at];
  if (next && !startsDocument(next.text)) piece = `${piece}---\n`;
  const before = at === 0 ? '' : text.slice(0, slices[at - 1]!.end);
  const after = next ? text.slice(next.start) : '';
  const glue = before !== '' && !before.endsWith('\n') ? '\n' : '';
  return before + glue + piece + after;
}
