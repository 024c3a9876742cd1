// Preview: a warm inspection process per project (dagster and the project's libraries imported once), each
// request loading the whole project afresh in a forked child, as `dg list defs` does. Restarted when it dies,
// released after `idleMs` without a preview, run or edit (it holds ~200 MiB), and warmed again in the background
// by the next edit or opening of that project, so the preview after it rarely starts cold.
import type {
  AssetCheck,
  AssetPartitions,
  DefinedAt,
  Job,
  PreviewStep,
  Resource,
  Schedule,
  Sensor,
} from '@designer/shared';
import { AppError } from '../errors.js';
import type { DagsterCli } from './dagster-cli.js';
import { WarmProcess, type InspectionProgress } from './inspector-process.js';

export type { InspectionProgress } from './inspector-process.js';

export interface RawAsset {
  key: string;
  deps: string[];
  kinds: string[];
  owners: string[];
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  group_name?: string;
  description?: string;
  is_executable?: boolean;
  /** Where Dagster built it, relative to defs/ (its defs.yaml and document, or its Python module). */
  defined_at?: DefinedAt;
  /** The top-level defs folder of `defined_at` (today's nodes are one such folder each). */
  folder?: string;
  /** Its partitions definition, when partitioned. */
  partitions?: AssetPartitions;
}

export interface RawProblem {
  severity: 'error' | 'warning';
  message: string;
  folder?: string;
  file?: string;
  line?: number;
  missing_module?: string;
  field?: string;
  /** The component tree entry that failed, relative to defs/ (`ingest`, `assets/orders.py`), and its document. */
  component?: string;
  document?: number;
}

export interface ScriptRef {
  folder: string;
  path: string;
  field: string;
}

type Located<T> = Omit<T, 'nodeId'> & { folder?: string };

export interface Inspection {
  assets: RawAsset[];
  checks: Located<AssetCheck>[];
  jobs: Located<Job>[];
  schedules: Located<Schedule>[];
  sensors: Located<Sensor>[];
  resources: Located<Resource>[];
  problems: RawProblem[];
  steps: PreviewStep[];
  durationMs: number;
  warm: boolean;
  /** The whole load failed and this is what loads without the failing entries of defs/ (see inspect_defs.py). */
  partial: boolean;
}

/** The top-level defs folder a definition's `defined_at` lies in ('' for a module at the top of defs/). */
export function topFolder(at: DefinedAt | undefined): string | undefined {
  if (!at) return undefined;
  const slash = at.path.indexOf('/');
  return slash === -1 ? (at.path.endsWith('.py') ? '' : at.path) : at.path.slice(0, slash);
}

function withFolder<T extends { defined_at?: DefinedAt }>(item: T): T & { folder?: string } {
  const folder = topFolder(item.defined_at);
  return folder ? { ...item, folder } : item;
}

export class InspectorService {
  private processes = new Map<string, WarmProcess>();
  /** Projects whose warm process was released for being idle: the next edit or opening warms them again. */
  private released = new Set<string>();
  /** Stopped as a whole (the designer shuts down): no process is started again. */
  private closed = false;

  constructor(
    private readonly cli: DagsterCli,
    private readonly options: {
      /** The project's env values (its .env): set in the child that loads the definitions, never in the parent. */
      envOf: (root: string) => Promise<Record<string, string>>;
      /** How long a warm process is kept without a preview, run or edit (DESIGNER_PREVIEW_IDLE_SECONDS). */
      idleMs: number;
      /** A background warm-up that failed (the next preview starts the process and reports the problem). */
      warn: (error: unknown, message: string) => void;
    },
  ) {}

  private envOf(root: string): Promise<Record<string, string>> {
    return this.options.envOf(root);
  }

  /** The warm process of a project (its pid and how many loads it answered), if one is running. */
  status(root: string): { pid: number; served: number } | undefined {
    const current = this.processes.get(root);
    return current?.alive ? { pid: current.pid, served: current.served } : undefined;
  }

  /**
   * The user is working on the project (an edit, opening it): its warm process stays; one released for being
   * idle is started again in the background with a throwaway load, which imports what the project's loads need
   * (dagster-dbt, dbt's parser…), so the preview that follows finds it warm. A project never previewed since the
   * designer started is left alone (its first preview starts the process).
   */
  warm(root: string): void {
    const current = this.processes.get(root);
    if (current?.alive) return current.touch();
    if (!this.released.has(root) || this.closed) return;
    this.released.delete(root);
    void this.envOf(root)
      .then((env) => this.processFor(root).request({ env, scripts: [] }))
      .catch((error: unknown) => this.options.warn(error, 'warming the inspection process again failed'));
  }

  /**
   * Loads the project's definitions (in its own venv) and returns what they define; `scripts` (root-relative
   * files nodes point at, with their defs folder and field) are checked for what a run would meet first.
   * `onProgress` hears of slow stages while they run (a component's state being refreshed).
   */
  async inspect(
    root: string,
    scripts: ScriptRef[] = [],
    onProgress?: (p: InspectionProgress) => void,
  ): Promise<Inspection> {
    const started = performance.now();
    const existing = this.processes.get(root);
    const warm = existing !== undefined && existing.alive && existing.served > 0;
    let text: string;
    try {
      text = await this.processFor(root).request({ env: await this.envOf(root), scripts }, onProgress);
    } catch (error) {
      // A restart (stop() after the environment changed) while this request waited: ask a fresh process once.
      if (!(error instanceof AppError && error.code === 'inspector_restarted')) throw error;
      text = await this.processFor(root).request({ env: await this.envOf(root), scripts }, onProgress);
    }
    const parsed = JSON.parse(text) as Omit<Inspection, 'durationMs' | 'warm' | 'partial'> & {
      partial?: boolean;
    };
    return {
      assets: parsed.assets.map(withFolder),
      checks: parsed.checks.map(withFolder),
      jobs: parsed.jobs.map(withFolder),
      schedules: parsed.schedules.map(withFolder),
      sensors: parsed.sensors.map(withFolder),
      resources: parsed.resources.map(withFolder),
      problems: parsed.problems.map((p) => {
        const folder = p.folder ?? (p.component ? topFolder({ path: p.component }) : undefined);
        return folder ? { ...p, folder } : p;
      }),
      steps: parsed.steps,
      durationMs: performance.now() - started,
      warm,
      partial: parsed.partial === true,
    };
  }

  private processFor(root: string): WarmProcess {
    if (this.closed) throw new AppError(503, 'shutting_down', 'The designer is shutting down.');
    const current = this.processes.get(root);
    if (current?.alive) return current;
    this.released.delete(root);
    const process: WarmProcess = new WarmProcess(this.cli, root, this.options.idleMs, (idle) => {
      if (this.processes.get(root) !== process) return;
      this.processes.delete(root);
      if (idle && !this.closed) this.released.add(root);
    });
    this.processes.set(root, process);
    return process;
  }

  /** Stops the warm process of a project (after its environment changed) or of all projects. */
  stop(root?: string): void {
    if (root === undefined) this.closed = true;
    if (root !== undefined) this.released.delete(root);
    for (const [key, process] of this.processes) {
      if (root === undefined || key === root) {
        process.stop();
        this.processes.delete(key);
      }
    }
  }
}
