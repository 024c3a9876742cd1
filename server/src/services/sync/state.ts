// The sync state file (`.designer/state.json` in a workspace): what sync wrote for each node, the asset keys it
// learned, the last validation; and where sync keeps things in a workspace (the defs folder, the trash).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { nodeFiles, nodeLocation, type GraphNode, type Problem } from '@designer/shared';
import { writeFileInside } from '../atomic-file.js';

/** What sync remembers of a node: where it lives and, for one document of a shared file, which one. */
export interface KnownNode {
  label: string;
  type: string;
  hash: string;
  /** Where a node with `defined_at` lives (relative to defs/); its label then names no folder. */
  path?: string;
  document?: number;
  files?: Record<string, string>;
  /** The label before a rename this sync made (removals.ts), until the node is written: its starters follow. */
  renamedFrom?: string;
}

export interface SyncState {
  nodes: Record<string, KnownNode>;
  /** Asset keys each node defined at the last inspection (for edges from nodes that do not declare keys). */
  assets: Record<string, string[]>;
  /** What each node's own data was (ownDataHash) when its keys were learned: learned keys of a changed node are stale. */
  assetsFrom?: Record<string, string>;
  validation?: Problem[];
}

export const EMPTY_STATE: SyncState = { nodes: {}, assets: {} };

/** Where the folder of a deleted node is kept (hidden from files, exports and pushes, like all of .designer). */
export const trashOf = (root: string, nodeId: string) =>
  path.join(root, '.designer', 'trash', nodeId.replace(/[^A-Za-z0-9_-]/g, '_'));

export function defsDirOf(root: string, packageName: string): string {
  return path.join(root, 'src', packageName, 'defs');
}

export async function readState(root: string): Promise<SyncState> {
  try {
    return {
      ...EMPTY_STATE,
      ...(JSON.parse(await fs.readFile(path.join(root, '.designer', 'state.json'), 'utf8')) as SyncState),
    };
  } catch {
    return structuredClone(EMPTY_STATE);
  }
}

export async function writeState(root: string, state: SyncState): Promise<void> {
  await writeFileInside(
    root,
    path.join(root, '.designer', 'state.json'),
    `${JSON.stringify(state, null, 1)}\n`,
  );
}

/**
 * A node's own data, which decides its asset keys (a dbt translation's key prefix, its project path…), not its
 * upstream: keys learned from a loaded project are stale once it changes.
 */
export const ownDataHash = (node: GraphNode) => {
  const { label, component_type, attributes, translation, post_processing, defined_at } = node.data;
  const own = { label, component_type, attributes, translation, post_processing, defined_at };
  return createHash('sha256').update(JSON.stringify(own)).digest('hex').slice(0, 16);
};

/** The files a node points at, by attribute field: what sync remembers so a renamed file can follow. */
export const filesOf = (node: GraphNode) => Object.fromEntries(nodeFiles(node).map((f) => [f.field, f.path]));

/** Where sync remembers a node with `defined_at` lives: its file or folder, and its document in a shared file. */
export const located = (node: GraphNode) => {
  const { path: where, document } = nodeLocation(node);
  return document === undefined ? { path: where } : { path: where, document };
};
