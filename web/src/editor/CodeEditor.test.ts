import { describe, expect, it } from 'vitest';
import { editorLanguageOf } from './CodeEditor';

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
