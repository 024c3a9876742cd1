// CodeMirror 6 for scripts, SQL and YAML: language by file name, theme following the designer's, Mod-s to save,
// and the preview's problems for this file drawn at their lines. The editor itself (CodeMirrorEditor.tsx) is
// loaded the first time one is shown, not when a project opens (issue 18: open < 1 s at 1,000 nodes).
import { useEffect, useState } from 'react';

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

type EditorModule = typeof import('./CodeMirrorEditor');
let loaded: EditorModule | null = null;
let loading: Promise<EditorModule> | null = null;

/** Starts loading the editor's code (once), e.g. when the page is idle after opening, so it is ready when drawn. */
export function preloadCodeEditor(): Promise<EditorModule> {
  loading ??= import('./CodeMirrorEditor').then(
    (m) => (loaded = m),
    (error: unknown) => {
      loading = null; // tried again by the next editor shown
      throw error;
    },
  );
  return loading;
}

/**
 * CodeMirror, or its own box (same class, same minimum height: no jump) with a quiet line while its code loads.
 * Not React.lazy + Suspense: React holds a fallback for at least 300 ms once shown, even for a preloaded editor.
 */
export function CodeEditor(props: CodeEditorProps) {
  const [module, setModule] = useState(loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (module) return;
    let live = true;
    preloadCodeEditor().then(
      (m) => live && setModule(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [module]);
  if (module) return <module.default {...props} />;
  return (
    <div
      className="code-editor code-editor-loading"
      style={props.minHeight ? { minHeight: props.minHeight } : undefined}
      data-language={props.language}
      aria-busy={!failed}
    >
      <span className="muted" style={{ display: 'block', padding: '6px 10px', fontSize: 12 }}>
        {failed ? 'The editor could not be loaded: reload the page.' : 'Loading editor…'}
      </span>
    </div>
  );
}
