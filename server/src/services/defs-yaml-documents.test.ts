import { describe, expect, it } from 'vitest';
import {
  documentSlices,
  insertDefsYamlDocument,
  readDefsYamlDocuments,
  removeDefsYamlDocuments,
  writeDefsYamlDocument,
} from './defs-yaml-documents.js';

const FILE = [
  '# two scripts and a local component',
  'type: dagster.PythonScriptComponent',
  '',
  'attributes:',
  '  assets:',
  '    - key: a  # first',
  '  execution:',
  '    path: a.py',
  '---',
  '# the second one',
  'type: dagster.PythonScriptComponent',
  'attributes:',
  '  assets: [{ key: b }]',
  '  execution: { path: b.py }',
  '',
  '---   # a comment on the separator',
  'type: shop.components.Greeting',
  'attributes:',
  '  greeting: "hi"   # kept',
  '# the end',
  '',
].join('\n');

describe('documentSlices', () => {
  it('cuts the file into contiguous documents that give back every byte', () => {
    const slices = documentSlices(FILE);
    expect(slices).toHaveLength(3);
    expect(slices.map((s) => s.text).join('')).toBe(FILE);
    expect(slices.map((s) => s.line)).toEqual([1, 9, 16]);
  });
  it('reads one file with no separator as one document', () => {
    expect(documentSlices('type: a.B\n')).toHaveLength(1);
  });
  it('locates a syntax error in any document', () => {
    expect(() => documentSlices('type: a.B\n---\ntype: [\n')).toThrow(/line \d+/);
  });
});

describe('writeDefsYamlDocument', () => {
  const docs = readDefsYamlDocuments(FILE);
  it.each([0, 1, 2])('changing document %i leaves the other documents byte for byte', (index) => {
    const managed = { ...docs[index], attributes: { ...(docs[index]!.attributes as object), extra: 1 } };
    const out = writeDefsYamlDocument(FILE, index, managed as never);
    const before = documentSlices(FILE);
    const after = documentSlices(out);
    expect(after).toHaveLength(3);
    for (let i = 0; i < 3; i += 1) {
      if (i === index) expect(after[i]!.text).not.toBe(before[i]!.text);
      else expect(after[i]!.text).toBe(before[i]!.text);
    }
    expect(readDefsYamlDocuments(out)[index]!.attributes).toMatchObject({ extra: 1 });
  });
  it("keeps the changed document's own comments", () => {
    const managed = { ...docs[2], attributes: { greeting: 'hello' } };
    const out = writeDefsYamlDocument(FILE, 2, managed as never);
    expect(out).toContain('# kept');
    expect(out).toContain('# the end');
    expect(out).toContain('a comment on the separator');
  });
  it('refuses a document that is not there', () => {
    expect(() => writeDefsYamlDocument(FILE, 5, { type: 'a.B', attributes: {} })).toThrow(
      /document 6 is gone/,
    );
  });
});

describe('removeDefsYamlDocuments', () => {
  const before = documentSlices(FILE).map((s) => s.text);
  it.each([[[0]], [[1]], [[2]], [[0, 2]], [[2, 1]]])(
    'removing documents %j keeps every other document byte for byte, separators and comments included',
    (indices) => {
      const { text, removed } = removeDefsYamlDocuments(FILE, indices);
      const kept = before.filter((_, i) => !indices.includes(i));
      expect(documentSlices(text).map((s) => s.text)).toEqual(kept);
      expect(text).toBe(kept.join(''));
      expect(removed).toEqual(indices.map((i) => before[i]));
      // What is left still reads as the remaining components, in order.
      const types = readDefsYamlDocuments(FILE).map((d) => d.type);
      expect(readDefsYamlDocuments(text).map((d) => d.type)).toEqual(
        types.filter((_, i) => !indices.includes(i)),
      );
    },
  );
  it('removing every document leaves nothing', () => {
    expect(removeDefsYamlDocuments(FILE, [0, 1, 2]).text).toBe('');
  });
  it('refuses a document that is not there', () => {
    expect(() => removeDefsYamlDocuments(FILE, [3])).toThrow(/document 4 is gone/);
  });
});

describe('insertDefsYamlDocument', () => {
  it.each([0, 1, 2])('puts a removed document %i back where it was, giving back the same bytes', (index) => {
    const { text, removed } = removeDefsYamlDocuments(FILE, [index]);
    expect(insertDefsYamlDocument(text, index, removed[0]!)).toBe(FILE);
  });
  it('separates a first document put back elsewhere, and writes a file that was emptied', () => {
    const first = documentSlices(FILE)[0]!.text;
    const rest = removeDefsYamlDocuments(FILE, [0]).text;
    const moved = insertDefsYamlDocument(rest, 2, first);
    expect(
      readDefsYamlDocuments(moved).map((d) => (d.attributes as { assets?: unknown }).assets),
    ).toHaveLength(3);
    expect(moved.endsWith(`---\n${first}`)).toBe(true);
    expect(insertDefsYamlDocument('', 0, first)).toBe(first);
  });
});
