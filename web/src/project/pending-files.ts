// The script and SQL files nodes point at that the workspace does not hold yet. A node added a moment ago gets its
// starter file from the sync that follows its save (about a second later, when the Dagster project is ready); until
// the file list shows it, the node's status says the file is being written instead of "ok".
import { nodeLocation, pathAttributesOf, resolvePathValue, starterFiles } from '@designer/shared';
import { createStore, useStore } from 'zustand';
import { designerStore } from '../store';
import type { DesignerNode } from '../store/graph-ops';
import { listFiles } from './file-actions';

/** The workspace paths of the files a sync writes a starter for (shared `starterFiles`), as the listing names them. */
export function nodeFilePaths(
  node: Parameters<typeof nodeLocation>[0] & Pick<DesignerNode, 'data'>,
  packageName: string,
): string[] {
  const folder = [`src/${packageName}/defs`, nodeLocation(node).folder].filter(Boolean).join('/');
  const attributes = pathAttributesOf(node.data.component_type);
  const paths: string[] = [];
  for (const file of starterFiles(node)) {
    // A starter's path is relative (nodeFiles keeps no template or absolute path): resolved from its attribute's
    // base, normalised as the listing names it.
    const attribute = attributes.find((a) => a.field === file.field);
    const resolved = attribute ? resolvePathValue(file.path, attribute, folder) : `${folder}/${file.path}`;
    if (resolved) paths.push(resolved);
  }
  return paths;
}

/** Whether one of `paths` is missing from the workspace's files as last listed (null: not listed yet). */
export const filesPending = (paths: readonly string[], files: ReadonlySet<string> | null): boolean =>
  files !== null && paths.some((p) => !files.has(p));

interface PendingFiles {
  /** The workspace's files at the last listing, or null before one (or without a ready project). */
  files: ReadonlySet<string> | null;
}
const pending = createStore<PendingFiles>(() => ({ files: null }));

let started = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let tries = 0;
let listing = 0;
/** The wanted paths at the last listing: a node moved (same paths, all there) lists nothing again. */
let lastWanted = '';
let force = true;

/** Every 1.5 s for the first minute a file is missing, then every 5 s (a busy machine's sync can take long). */
const retryDelay = () => (++tries <= 40 ? 1_500 : 5_000);

/** Lists the files again: soon after the graph or the preview changes, then while one is missing (retryDelay). */
function schedule(delay: number) {
  clearTimeout(timer);
  timer = setTimeout(() => void check(), delay);
}

async function check() {
  const s = designerStore.getState();
  const project = s.project;
  // While the Dagster project is being created no file is written yet: every node's file is still to come.
  if (project && s.workspace?.status === 'creating') {
    pending.setState({ files: new Set() });
    force = true;
    return;
  }
  if (!project || s.workspace?.status !== 'ready') {
    pending.setState({ files: null });
    return;
  }
  const wanted = s.nodes.flatMap((n) => nodeFilePaths(n, project.package_name));
  const key = wanted.join('\n');
  const files = pending.getState().files;
  // Listed once even with no script yet, so the first one dropped reads as "writing" at once (never a false "ok").
  if (!force && key === lastWanted && !filesPending(wanted, files)) return;
  force = false;
  lastWanted = key;
  const mine = ++listing;
  try {
    const list = await listFiles(project.id);
    if (mine !== listing || designerStore.getState().project?.id !== project.id) return;
    const listed = new Set(list.map((f) => f.path));
    pending.setState({ files: listed });
    if (filesPending(wanted, listed)) schedule(retryDelay());
  } catch {
    schedule(retryDelay());
  }
}

function start() {
  if (started) return;
  started = true;
  designerStore.subscribe((s, before) => {
    if (s.project?.id !== before.project?.id) pending.setState({ files: null });
    const elsewhere =
      s.project?.id !== before.project?.id ||
      s.workspace?.status !== before.workspace?.status ||
      s.preview.at !== before.preview.at;
    if (elsewhere) force = true;
    if (elsewhere || s.nodes !== before.nodes) {
      tries = 0;
      schedule(300);
    }
  });
  schedule(0);
}

// Watching from the app's start: the files are known before the first node is dropped.
if (typeof window !== 'undefined') start();

/** Whether a node's script or SQL file is not in the workspace yet (being written by the next sync). */
export function useFilesPending(paths: readonly string[]): boolean {
  return useStore(pending, (p) => filesPending(paths, p.files));
}
