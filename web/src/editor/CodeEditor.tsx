// CodeMirror 6 for scripts, SQL and YAML: language by file name, theme following the designer's, Mod-s to save,
// and the preview's problems for this file drawn at their lines. The editor itself (CodeMirrorEditor.tsx) is
// loaded the first time one is shown, not when a project opens (issue 18: open < 1 s at 1,000 nodes).
import { lazy, Suspense } from 'react';

export type EditorLanguage = 'python' | 'sql' | 'yaml' | 'text';

export function editorLanguageOf(path: string): EditorLanguage {
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.py$/i.test(path)) return 'python';
  if (/\.sql$/i.test(path)) return 'sql';
  return 'text';
}

/** The indentation Enter and Tab insert: four spaces in Python (PEP 8, what the starter scripts use), else two. */
export const indentOf = (language: EditorLanguage): string => (language === 'python' ? '    ' : '  ');

export interface LineProblem {
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface CodeEditorProps {
  value: string;
  language: EditorLanguage;
  /** Accessible name of the editable area (also what tests find it by). */
  label: string;
  readOnly?: boolean;
  onChange?: (value: string) => void;
  onSave?: () => void;
  onBlur?: () => void;
  problems?: LineProblem[];
  minHeight?: number;
}

const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor'));

/** Starts loading the editor's code (e.g. when a panel that shows one opens), so it is ready when drawn. */
export const preloadCodeEditor = () => void import('./CodeMirrorEditor');

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense
      fallback={
        // The editor's own box (same class, same minimum height), quiet until CodeMirror is there: no jump.
        <div
          className="code-editor code-editor-loading"
          style={props.minHeight ? { minHeight: props.minHeight } : undefined}
          data-language={props.language}
          aria-busy="true"
        >
          <span className="muted" style={{ display: 'block', padding: '6px 10px', fontSize: 12 }}>
            Loading editor…
          </span>
        </div>
      }
    >
      <CodeMirrorEditor {...props} />
    </Suspense>
  );
}
