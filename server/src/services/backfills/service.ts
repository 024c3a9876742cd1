// What the partitions routes ask of a project's local instance: reads that never start it (its state when it is
// not running), and a selection's partitions or a backfill after a sync on the started instance, as a run does.
import {
  backfillRequestProblem,
  type Backfill,
  type BackfillList,
  type BackfillRequest,
  type PartitionStatusAnswer,
  type ProjectFile,
} from '@designer/shared';
import { AppError } from '../../errors.js';
import type { Services } from '../../types.js';
import { nodeAssetKeys } from '../run-launch.js';
import { cancelBackfill, getBackfill, launchBackfill, listBackfills } from './backfills.js';
import { partitionStatus } from './partitions.js';

type Selection = Pick<BackfillRequest, 'assets' | 'nodes'>;

/** Refuses (400) a request that asks for no partitions or for them twice, before anything is read or started. */
export function assertBackfillRequest(body: BackfillRequest): void {
  const problem = backfillRequestProblem(body);
  if (problem) throw new AppError(400, problem.code, problem.message, problem.hint);
}

export class BackfillService {
  constructor(private readonly services: Pick<Services, 'instances' | 'sync' | 'inspector'>) {}

  /** The instance when it runs the project's current code; the state otherwise (nothing is started). */
  private running(project: ProjectFile) {
    const { instances } = this.services;
    const instance = instances.get(project.id);
    const status = instances.state(project.id).status;
    return { instance, state: instance ? ('ready' as const) : status === 'ready' ? 'starting' : status };
  }

  /** The running instance, or a 409 saying nothing runs (`hint`: what to do about it). */
  private runningOr409(project: ProjectFile, hint: string) {
    const { instance } = this.running(project);
    if (!instance)
      throw new AppError(409, 'instance_stopped', "The project's Dagster instance is not running.", hint);
    return instance;
  }

  /** Writes the graph and has the instance load it (started when needed), as a run does. */
  private async prepared(project: ProjectFile, root: string) {
    await this.services.sync.ensureSynced(project, root);
    return this.services.instances.ensure(project.id, root);
  }

  /** Asset keys of a selection: the keys given, and the nodes' keys (as a run resolves them). */
  private async selectionKeys(project: ProjectFile, root: string, body: Selection): Promise<string[]> {
    const fromNodes = await nodeAssetKeys(this.services.inspector, project, root, body.nodes ?? []);
    return [...new Set([...(body.assets ?? []), ...fromNodes])];
  }

  /** Each partitioned asset's partitions and their status, when the instance runs. */
  async status(project: ProjectFile): Promise<PartitionStatusAnswer> {
    const { instance, state } = this.running(project);
    if (!instance) return { instance: state, assets: [] };
    return { instance: 'ready', assets: await partitionStatus(instance) };
  }

  /** The partitions of a selection, after a sync, on the started instance. */
  async selectionStatus(project: ProjectFile, root: string, body: Selection): Promise<PartitionStatusAnswer> {
    const instance = await this.prepared(project, root);
    const keys = await this.selectionKeys(project, root, body);
    if (keys.length === 0 && body.nodes?.length) return { instance: 'ready', assets: [] };
    return {
      instance: 'ready',
      assets: await partitionStatus(instance, keys.length ? keys : undefined, true),
    };
  }

  /** Backfills a selection (every partitioned asset when it is empty) over the request's partitions. */
  async launch(project: ProjectFile, root: string, body: BackfillRequest): Promise<Backfill> {
    assertBackfillRequest(body); // refused before anything is written or started
    const instance = await this.prepared(project, root);
    const keys = await this.selectionKeys(project, root, body);
    if (keys.length === 0 && !body.nodes?.length && !body.assets?.length)
      keys.push(...(await partitionStatus(instance)).map((a) => a.key));
    return launchBackfill(instance, keys, body);
  }

  async list(project: ProjectFile): Promise<BackfillList> {
    const { instance, state } = this.running(project);
    if (!instance) return { instance: state, backfills: [] };
    return { instance: 'ready', backfills: await listBackfills(instance) };
  }

  get(project: ProjectFile, backfillId: string): Promise<Backfill> {
    return getBackfill(this.runningOr409(project, 'Run something first.'), backfillId);
  }

  cancel(project: ProjectFile, backfillId: string): Promise<Backfill> {
    return cancelBackfill(this.runningOr409(project, 'Nothing runs there.'), backfillId);
  }
}
