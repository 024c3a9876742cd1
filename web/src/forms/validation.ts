// Client-side validation of every node's attributes against its component's real schema, so the
// canvas badges and the Problems tab are right without opening each node.
import type { Problem } from '@designer/shared';
import type { RJSFSchema } from '@rjsf/utils';
import { useEffect } from 'react';
import { loadSchema } from '../project/catalog-actions';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { prepareFormSchema } from './schema';

/**
 * The schema check (attribute-problems.ts, with ajv): loaded the first time a node has a schema to check, which is
 * after the canvas is drawn, so ajv and @rjsf/utils are not parsed while a project opens (issue 18). Until it is
 * there, such nodes stay unchecked; validateAll runs again when it arrives.
 */
let checkAttributes: typeof import('./attribute-problems').attributeProblems | null = null;
let checkLoading: Promise<void> | null = null;
export function loadAttributeCheck(): Promise<void> {
  checkLoading ??= import('./attribute-problems').then(
    (m) => {
      checkAttributes = m.attributeProblems;
    },
    (error: unknown) => {
      checkLoading = null; // A failed chunk load (e.g. the server restarting) is tried again on the next check.
      throw error;
    },
  );
  return checkLoading;
}

const prepared = new WeakMap<object, RJSFSchema>();

export function formSchemaOf(raw: Record<string, unknown>): RJSFSchema {
  let schema = prepared.get(raw);
  if (!schema) {
    schema = prepareFormSchema(raw) as RJSFSchema;
    prepared.set(raw, schema);
  }
  return schema;
}

/**
 * Each node's attributes when the problems of a preview were found (keyed by that problems array), so a problem
 * about attributes the user has changed since is known to be stale.
 */
const previewedAttributes = new WeakMap<readonly Problem[], Map<string, unknown>>();
const attributesOf = (nodes: readonly DesignerNode[]) => new Map(nodes.map((n) => [n.id, n.data.attributes]));
/** Records the attributes (by node id) that the preview answering `problems` ran on. */
export const notePreviewedAttributes = (problems: readonly Problem[], attributes: Map<string, unknown>) =>
  previewedAttributes.set(problems, attributes);

/** Sync's own schema check of a defs.yaml ("<label>: attributes.x … is a required property"). */
const SCHEMA_CHECK = /^[^:\s]+: attributes(\.|\s)/;
/** Dagster's load failing on the same attributes (pydantic: "N validation errors for …Model"). */
const DAGSTER_VALIDATION = /ValidationError: \d+ validation errors? for /;

/**
 * The problems of the last preview that still stand, each once. The form validates a node's attributes live
 * against the same schema, so for a node it has checked, sync's schema errors (ajv, one per union branch) and
 * Dagster's pydantic error are the same problem said again (shown once, by the form, in its words); and any of
 * them about attributes changed since the preview is gone with its cause. Problems of deleted nodes go too.
 */
export function standingProblems(
  problems: readonly Problem[],
  attributesNow: (nodeId: string) => unknown,
  formProblems: Readonly<Record<string, readonly Problem[] | undefined>>,
): Problem[] {
  const before = previewedAttributes.get(problems);
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.nodeId ?? ''}|${p.file ?? ''}|${p.line ?? ''}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (!p.nodeId) return true;
    const now = attributesNow(p.nodeId);
    if (now === undefined) return false;
    const schema = SCHEMA_CHECK.test(p.message);
    const dagster = DAGSTER_VALIDATION.test(p.message);
    if (!schema && !dagster) return true;
    if (before?.has(p.nodeId) && before.get(p.nodeId) !== now) return false;
    const form = formProblems[p.nodeId];
    if (schema) return form === undefined;
    return !form || form.length === 0;
  });
}

const checked = new WeakMap<object, object>();
const warned = new WeakMap<object, object>();

export function validateAll(): void {
  const { nodes, schemas, formProblems } = designerStore.getState();
  // Every node's problems in one store update (as the store's setFormProblems, which a list of none leaves
  // alone): one update per node copied a 1,000-entry object 1,000 times at 1,000 nodes (issue 18).
  const updates: Record<string, Problem[]> = {};
  let waiting = false;
  const setFormProblems = (id: string, problems: Problem[]) => {
    const current = formProblems[id];
    if (current !== undefined && current.length === 0 && problems.length === 0) return;
    updates[id] = problems;
  };
  for (const node of nodes) {
    // Python definitions have no schema: they are the user's code, checked by loading it. A schedule's component
    // attributes are computed by sync (job_name, asset_selection), which checks its cron, zone and target.
    if (node.type === 'python' || node.type === 'schedule') {
      if (designerStore.getState().formProblems[node.id] === undefined) setFormProblems(node.id, []);
      continue;
    }
    const entry = schemas[node.data.component_type];
    if (entry === undefined) {
      void loadSchema(node.data.component_type);
      continue;
    }
    if (entry === 'loading') continue;
    if ('error' in entry) {
      // Once per node and failed schema: a drag gives a new nodes array on every step, and setting the warning of
      // each of 1,000 nodes again (a new formProblems object each) cost seconds per check (issue 18).
      if (warned.get(node.data) === entry && designerStore.getState().formProblems[node.id] !== undefined)
        continue;
      warned.set(node.data, entry);
      setFormProblems(node.id, [
        {
          severity: 'warning',
          nodeId: node.id,
          message: `${node.data.label}: the schema of ${node.data.component_type} is not available (${entry.error}).`,
        },
      ]);
      continue;
    }
    if (checked.get(node.data.attributes) === entry) continue;
    if (!checkAttributes) {
      waiting = true;
      continue;
    }
    checked.set(node.data.attributes, entry);
    setFormProblems(node.id, checkAttributes(node, formSchemaOf(entry.schema)));
  }
  if (Object.keys(updates).length > 0)
    designerStore.setState((s) => ({ formProblems: { ...s.formProblems, ...updates } }));
  if (waiting)
    loadAttributeCheck().then(validateUnlessDragging, (error: unknown) =>
      console.warn('The schema check could not be loaded; it is tried again on the next change.', error),
    );
}

/**
 * validateAll, unless a node is being dragged: the check then waits for the drop, whose change (React Flow's last
 * position change, `dragging: false`) runs it again (useNodeValidation). A component schema arriving in the middle
 * of a drag had 1,000 nodes checked, ajv compiling the schema first, in one task (119 ms of CPU in a trace at load
 * 5): a long frame mid-drag (issue 18). A drag changes no node's data, so only the timing of the check changes.
 */
export function validateUnlessDragging(): void {
  if (designerStore.getState().nodes.some((n) => n.dragging)) return;
  validateAll();
}

export function useNodeValidation(): void {
  useEffect(() => {
    let scheduled = 0;
    const schedule = () => {
      if (scheduled) return;
      scheduled = window.setTimeout(() => {
        scheduled = 0;
        validateUnlessDragging();
      }, 150);
    };
    schedule();
    let last = designerStore.getState();
    // The graph a preview ran on: taken when it starts (edits while it runs are newer than its problems).
    let previewed: Map<string, unknown> | null = null;
    const unsubscribe = designerStore.subscribe((s) => {
      if (s.nodes !== last.nodes || s.schemas !== last.schemas) schedule();
      if (s.preview.status === 'running' && last.preview.status !== 'running')
        previewed = attributesOf(s.nodes);
      if (s.preview.problems !== last.preview.problems) {
        notePreviewedAttributes(s.preview.problems, previewed ?? attributesOf(s.nodes));
        previewed = null;
      }
      last = s;
    });
    return () => {
      unsubscribe();
      clearTimeout(scheduled);
    };
  }, []);
}
