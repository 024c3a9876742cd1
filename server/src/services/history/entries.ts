// What a history entry says: its summary line (what changed since the entry before, in the user's words) and the
// `Designer-*` lines of its commit message (kind, versions, number of saves), read back as a `HistoryEntry`.
import path from 'node:path';
import {
  diffGraphs,
  isEmptyDiff,
  nodeLocation,
  summarizeDiff,
  type Graph,
  type HistoryEntry,
  type ProjectFile,
} from '@designer/shared';
import { defsDirOf } from '../sync/state.js';
import type { CommitInfo } from './git.js';

export type Kind = HistoryEntry['kind'];

/** A state waiting to be written as an entry (the saves of a burst). */
export interface Pending {
  project: ProjectFile;
  kind: Kind;
  firstAt: number;
  lastAt: number;
  saves: number;
  fromVersion: number;
  note?: string;
  timer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
}

export interface Meta {
  kind: Kind;
  version: number;
  fromVersion: number;
  saves: number;
}

export function changedFiles(
  before: Map<string, string>,
  after: Map<string, string>,
): { path: string; verb: string }[] {
  const out: { path: string; verb: string }[] = [];
  for (const [file, blob] of after)
    if (!before.has(file)) out.push({ path: file, verb: 'added' });
    else if (before.get(file) !== blob) out.push({ path: file, verb: 'edited' });
  for (const file of before.keys()) if (!after.has(file)) out.push({ path: file, verb: 'removed' });
  return out;
}

/** What changed between two saved states of the project file, in the words of a history summary. */
export function projectChanges(before: ProjectFile, after: ProjectFile): string[] {
  const parts: string[] = [];
  const diff = diffGraphs(before.graph, after.graph);
  if (!isEmptyDiff(diff)) parts.push(summarizeDiff(diff));
  if (before.name !== after.name) parts.push(`renamed the project to "${after.name}"`);
  if (JSON.stringify(before.env ?? []) !== JSON.stringify(after.env ?? []))
    parts.push('edited the env var list');
  if ((before.description ?? '') !== (after.description ?? '')) parts.push('edited the description');
  return parts;
}

/** The summary line of a new entry: a restore's note, the project created, or what changed since `before`. */
export function summarizeEntry(
  before: ProjectFile | null,
  p: Pending,
  changed: { path: string; verb: string }[],
): string {
  const after = p.project;
  if (p.kind === 'restore' && p.note) return p.note;
  if (p.kind === 'before-restore') return p.note ?? 'before a restore';
  if (!before) {
    const n = after.graph.nodes.length;
    return `created the project "${after.name}"${n ? ` with ${n} node${n === 1 ? '' : 's'}` : ''}`;
  }
  const parts = projectChanges(before, after);
  // Files: the ones the user edited (a defs.yaml follows the graph, so it is named only when the graph did not change).
  const managed = managedPaths(after);
  const own = changed.filter((f) => !managed.has(f.path) || parts.length === 0);
  if (own.length === 1) parts.push(`${own[0]!.verb} ${own[0]!.path}`);
  else if (own.length > 1) parts.push(`changed ${own.length} files`);
  if (parts.length === 0) return p.note ?? 'saved (no change)';
  return parts.join(', ');
}

export function withMeta(summary: string, meta: Meta): string {
  return `${summary}\n\n${Object.entries(meta)
    .map(([k, v]) => `Designer-${k}: ${String(v)}`)
    .join('\n')}\n`;
}

/** "2026-11-26 13:17:08 UTC": a time in a summary line, readable in any locale. */
export const utc = (iso: string) => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

export function readMeta(info: CommitInfo): Meta {
  const field = (name: string) => new RegExp(`^Designer-${name}: (.*)$`, 'm').exec(info.message)?.[1]?.trim();
  const kind = field('kind') as Kind | undefined;
  const version = Number(field('version') ?? 0);
  return {
    kind: kind && ['save', 'files', 'restore', 'before-restore'].includes(kind) ? kind : 'save',
    version,
    fromVersion: Number(field('fromVersion') ?? version),
    saves: Number(field('saves') ?? 1),
  };
}

export function toEntry(info: CommitInfo): HistoryEntry {
  const meta = readMeta(info);
  return {
    commit: info.commit,
    version: meta.version,
    fromVersion: meta.fromVersion,
    at: new Date(info.commitDate).toISOString(),
    kind: meta.kind,
    summary: info.message.split('\n')[0] ?? '',
    saves: meta.saves,
  };
}

/** Workspace-relative paths of the defs.yaml files the designer writes from the graph. */
export function managedPaths(
  project: Pick<ProjectFile, 'package_name'> & { graph: Pick<Graph, 'nodes'> },
): Set<string> {
  const defs = path.relative('/', defsDirOf('/', project.package_name)).split(path.sep).join('/');
  return new Set(
    project.graph.nodes.filter((n) => n.type !== 'python').map((n) => `${defs}/${nodeLocation(n).path}`),
  );
}
