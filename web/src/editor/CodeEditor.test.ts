import { describe, expect, it } from 'vitest';
import { editorLanguageOf, indentOf } from './CodeEditor';

describe('editorLanguageOf', () => {
  it('picks the language from the file name', () => {
    expect(['a.py', 'q.SQL', 'defs.yaml', 'x.yml', 'README.md'].map(editorLanguageOf)).toEqual([
      'python',
      'sql',
      'yaml',
      'yaml',
      'text',
    ]);
  });
});

describe('indentOf', () => {
  it('indents Python by four spaces (as the starter scripts are written), the others by two', () => {
    expect((['python', 'sql', 'yaml', 'text'] as const).map((l) => indentOf(l).length)).toEqual([4, 2, 2, 2]);
  });
});
