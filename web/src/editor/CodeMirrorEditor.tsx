// CodeMirror 6 itself, loaded on demand by CodeEditor (./CodeEditor.tsx): the editor and its languages are a
// third of the app's script and nothing on the canvas needs them, so opening a project does not parse them.
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { sql } from '@codemirror/lang-sql';
import { yaml } from '@codemirror/lang-yaml';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import { Annotation, Compartment, EditorState, type Extension } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { useEffect, useRef } from 'react';
import { useDesigner } from '../store';
import { indentOf, type CodeEditorProps, type EditorLanguage } from './CodeEditor';

/** Marks a document replaced from outside (a load, a revert, the form): not the user's typing. */
const External = Annotation.define<boolean>();

const languageExtension = (language: EditorLanguage): Extension => [
  language === 'python' ? python() : language === 'sql' ? sql() : language === 'yaml' ? yaml() : [],
  indentUnit.of(indentOf(language)),
];

export default function CodeMirrorEditor(props: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const dark = useDesigner((s) => s.theme === 'dark');
  const compartments = useRef({
    language: new Compartment(),
    theme: new Compartment(),
    readOnly: new Compartment(),
    label: new Compartment(),
  });

  useEffect(() => {
    const c = compartments.current;
    const p = latest.current;
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: p.value,
        extensions: [
          lineNumbers(),
          highlightActiveLineGutter(),
          foldGutter(),
          lintGutter(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          EditorState.tabSize.of(4),
          keymap.of([
            {
              key: 'Mod-s',
              preventDefault: true,
              run: () => {
                latest.current.onSave?.();
                return true;
              },
            },
            indentWithTab,
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...searchKeymap,
            ...historyKeymap,
            ...completionKeymap,
          ]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged && !update.transactions.some((t) => t.annotation(External)))
              latest.current.onChange?.(update.state.doc.toString());
            if (update.focusChanged && !update.view.hasFocus) latest.current.onBlur?.();
          }),
          c.language.of(languageExtension(p.language)),
          c.theme.of(dark ? oneDark : []),
          c.readOnly.of([EditorState.readOnly.of(Boolean(p.readOnly)), EditorView.editable.of(!p.readOnly)]),
          c.label.of(EditorView.contentAttributes.of({ 'aria-label': p.label })),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // The editor is created once; the effects below reconfigure it.
  }, []);

  // A new text from outside (file loaded, reverted, form changed) replaces the document; typing does not loop.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === props.value) return;
    editor.dispatch({
      changes: { from: 0, to: editor.state.doc.length, insert: props.value },
      annotations: External.of(true),
    });
  }, [props.value]);

  useEffect(() => {
    const c = compartments.current;
    view.current?.dispatch({
      effects: [
        c.language.reconfigure(languageExtension(props.language)),
        c.theme.reconfigure(dark ? oneDark : []),
        c.readOnly.reconfigure([
          EditorState.readOnly.of(Boolean(props.readOnly)),
          EditorView.editable.of(!props.readOnly),
        ]),
        c.label.reconfigure(EditorView.contentAttributes.of({ 'aria-label': props.label })),
      ],
    });
  }, [props.language, props.readOnly, props.label, dark]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    const doc = editor.state.doc;
    const diagnostics: Diagnostic[] = (props.problems ?? [])
      .filter((p) => p.line >= 1 && p.line <= doc.lines)
      .map((p) => {
        const line = doc.line(p.line);
        return { from: line.from, to: line.to, severity: p.severity, message: p.message };
      });
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [props.problems, props.value]);

  return (
    <div
      className="code-editor"
      ref={host}
      style={props.minHeight ? { minHeight: props.minHeight } : undefined}
      data-language={props.language}
    />
  );
}
