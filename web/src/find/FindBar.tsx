// The find bar over the canvas (Ctrl/Cmd+F): typing filters at low priority (useDeferredValue) against an index
// built once per change of the graph or preview; Enter / Shift+Enter step through the matches; Escape closes.
import { Panel, useStore } from '@xyflow/react';
import { useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useDesigner, useDesignerShallow } from '../store';
import { groupFindables } from './group-find';
import { buildFindIndex, findMatches } from './find-index';
import { clearMarks, watchMatches } from './find-marks';
import { closeFind, setMatches, stepFind, useFind } from './find-store';

export function FindBar() {
  const open = useFind((s) => s.open);
  return open ? <OpenFindBar /> : null;
}

const FIELD_WORDS: Record<string, string> = {
  label: 'name',
  type: 'type',
  key: 'asset key',
  group: 'group',
  kind: 'kind',
  tag: 'tag',
  problem: 'problem',
};

function OpenFindBar() {
  const [text, setText] = useState(() => useFind.getState().query);
  const query = useDeferredValue(text);
  const input = useRef<HTMLInputElement>(null);
  const focusCount = useFind((s) => s.focusCount);
  const { matches, current } = useFind((s) => s);
  const { nodes, groups, assets, problems } = useDesignerShallow((s) => ({
    nodes: s.nodes,
    groups: s.groups,
    assets: s.preview.assets,
    problems: s.preview.problems,
  }));
  const formProblems = useDesigner((s) => s.formProblems);
  const index = useMemo(
    () =>
      buildFindIndex([...nodes, ...groupFindables(nodes, groups)], assets, [
        ...problems,
        ...Object.values(formProblems).flat(),
      ]),
    [nodes, groups, assets, problems, formProblems],
  );
  const found = useMemo(() => findMatches(index, query), [index, query]);
  useEffect(() => setMatches(query, found), [query, found]);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusCount]);

  // The matches marked by an attribute on the node elements in the DOM (find-marks.ts), not by a class on each node.
  const flowElement = useStore((s) => s.domNode);
  const matchIds = useMemo(() => new Set(matches.map((m) => m.id)), [matches]);
  // Before the browser paints, in the same frame as the `finding` class that dims the rest.
  useLayoutEffect(
    () => (flowElement ? watchMatches(flowElement, matchIds) : undefined),
    [flowElement, matchIds],
  );
  useLayoutEffect(() => () => void (flowElement && clearMarks(flowElement)), [flowElement]);

  const shown = matches[current];
  return (
    <>
      <Panel position="top-center" className="find-bar" role="search" aria-label="Find on the canvas">
        <input
          ref={input}
          type="search"
          value={text}
          placeholder="Find: name, type, asset key, group, kind, tag, problem"
          aria-label="Find on the canvas"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              // The matches of what is typed, not of a deferred query a keystroke behind.
              if (text !== useFind.getState().query) setMatches(text, findMatches(index, text));
              stepFind(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              closeFind();
            }
          }}
        />
        <span className="find-count muted small" aria-live="polite" data-testid="find-count">
          {query.trim() === ''
            ? ''
            : matches.length === 0
              ? 'no match'
              : `${current >= 0 ? current + 1 : '–'} of ${matches.length}`}
        </span>
        {shown && (
          <span className="find-field muted small" title={shown.value}>
            {FIELD_WORDS[shown.field]}: {shown.value}
          </span>
        )}
        <button className="icon" aria-label="Previous match (Shift+Enter)" onClick={() => stepFind(-1)}>
          ↑
        </button>
        <button className="icon" aria-label="Next match (Enter)" onClick={() => stepFind(1)}>
          ↓
        </button>
        <button className="icon" aria-label="Close find (Escape)" onClick={() => closeFind()}>
          ×
        </button>
      </Panel>
    </>
  );
}
