// CodeMirror 6 for scripts, SQL and YAML: language by file name, theme following the designer's, Mod-s to save,
// and the preview's problems for this file drawn at their lines. The editor itself (CodeMirrorEditor.tsx) is
// loaded the first time one is shown, not when a project opens (issue 18: open < 1 s at 1,000 nodes).
import { onDemand } from '../ui/on-demand';

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

const editor = onDemand(() => import('./CodeMirrorEditor'));

/** Starts loading the editor's code (once), e.g. when the page is idle after opening, so it is ready when drawn. */
export const preloadCodeEditor = editor.preload;

/** CodeMirror, or its own box (same class, same minimum height: no jump) with a quiet line while its code loads. */
export function CodeEditor(props: CodeEditorProps) {
  const { module, failed } = editor.useModule();
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
