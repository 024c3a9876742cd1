import { describe, expect, it } from 'vitest';
import { documentSlices, readDefsYamlDocuments, writeDefsYamlDocument } from './defs-yaml-documents.js';

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
