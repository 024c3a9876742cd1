// Schedules and sensors on a project's local Dagster instance, through its GraphQL API only: their state (on/off,
// next tick, last tick's result) and starting or stopping one. The instance itself is DagsterInstanceService's.
import { AUTOMATION_SENSOR, type Instigator, type InstigatorTick, type ProjectFile } from '@designer/shared';
import { AppError } from '../errors.js';
import { graphql, type Instance } from './dagster-instance.js';
import { INSTIGATION_STATE_ID, INSTIGATORS, SET_INSTIGATOR_RUNNING } from './graphql/automation.js';

interface RawTick {
  status: string;
  timestamp: number;
  runIds: string[];
  error: { message: string } | null;
  skipReason: string | null;
}
interface RawState {
  id: string;
  status: 'RUNNING' | 'STOPPED' | 'DECLARED_IN_CODE';
  ticks: RawTick[];
}
interface RawSchedule {
  name: string;
  cronSchedule: string;
  executionTimezone: string | null;
  defaultStatus: 'RUNNING' | 'STOPPED' | 'DECLARED_IN_CODE';
  scheduleState: RawState;
  futureTicks: { results: Array<{ timestamp: number | null }> };
}
interface RawSensor {
  name: string;
  sensorType: string;
  minIntervalSeconds: number;
  defaultStatus: 'RUNNING' | 'STOPPED' | 'DECLARED_IN_CODE';
  canReset: boolean;
  sensorState: RawState;
  nextTick: { timestamp: number | null } | null;
}

const repository = (instance: Instance) => ({
  repositoryLocationName: instance.location,
  repositoryName: '__repository__',
});
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const onOff = (s: string): 'RUNNING' | 'STOPPED' => (s === 'RUNNING' ? 'RUNNING' : 'STOPPED');

function tickOf(raw: RawTick | undefined): InstigatorTick | undefined {
  if (!raw) return undefined;
  const tick: InstigatorTick = { status: raw.status, at: iso(raw.timestamp), runIds: raw.runIds };
  if (raw.error) tick.error = raw.error.message;
  if (raw.skipReason) tick.skipReason = raw.skipReason;
  return tick;
}

function fromSchedule(s: RawSchedule): Instigator {
  const status = onOff(s.scheduleState.status);
  const next = s.futureTicks.results[0]?.timestamp;
  const lastTick = tickOf(s.scheduleState.ticks[0]);
  return {
    kind: 'schedule',
    name: s.name,
    status,
    defaultStatus: onOff(s.defaultStatus),
    cron: s.cronSchedule,
    timezone: s.executionTimezone ?? 'UTC',
    ...(status === 'RUNNING' && next ? { nextTick: iso(next) } : {}),
    ...(lastTick ? { lastTick } : {}),
  };
}

function fromSensor(s: RawSensor): Instigator {
  const status = onOff(s.sensorState.status);
  const next = s.nextTick?.timestamp;
  const lastTick = tickOf(s.sensorState.ticks[0]);
  return {
    kind: 'sensor',
    name: s.name,
    status,
    defaultStatus: onOff(s.defaultStatus),
    sensorType: s.sensorType,
    minIntervalSeconds: s.minIntervalSeconds,
    setOnInstance: s.canReset,
    ...(status === 'RUNNING' && next ? { nextTick: iso(next) } : {}),
    ...(lastTick ? { lastTick } : {}),
  };
}

/** Every schedule and sensor of the project's code location, with its state on the instance. */
export async function listInstigators(
  instance: Instance,
): Promise<{ schedules: Instigator[]; sensors: Instigator[] }> {
  const data = await graphql<{
    schedulesOrError: { __typename: string; results?: RawSchedule[]; message?: string };
    sensorsOrError: { __typename: string; results?: RawSensor[]; message?: string };
  }>(instance, INSTIGATORS, { repo: repository(instance) });
  for (const answer of [data.schedulesOrError, data.sensorsOrError])
    if (!answer.results)
      throw new AppError(
        502,
        'graphql_error',
        `Dagster could not list schedules and sensors: ${answer.message ?? answer.__typename}`,
      );
  return {
    schedules: data.schedulesOrError.results!.map(fromSchedule),
    sensors: data.sensorsOrError.results!.map(fromSensor),
  };
}

/** Turns a schedule or sensor on or off on the instance (Dagster keeps that state in its storage); answers its new state. */
export async function setInstigatorRunning(
  instance: Instance,
  kind: 'schedule' | 'sensor',
  name: string,
  running: boolean,
): Promise<Instigator> {
  const current = await listInstigators(instance);
  const found = (kind === 'schedule' ? current.schedules : current.sensors).find((i) => i.name === name);
  if (!found)
    throw new AppError(
      404,
      `${kind}_not_found`,
      `The project's Dagster instance has no ${kind} named "${name}".`,
      'Save and preview the project first, so the instance loads its latest definitions.',
    );
  if ((found.status === 'RUNNING') !== running) {
    const selector = { ...repository(instance), [kind === 'schedule' ? 'scheduleName' : 'sensorName']: name };
    const mutation = SET_INSTIGATOR_RUNNING[kind][running ? 'start' : 'stop'];
    const data = await graphql<{ result: { __typename: string; message?: string } }>(
      instance,
      mutation,
      running ? { s: selector } : { id: await instigationStateId(instance, kind, name) },
    );
    if (data.result.message)
      throw new AppError(
        502,
        'graphql_error',
        `Dagster refused to ${running ? 'start' : 'stop'} ${name}: ${data.result.message}`,
      );
  }
  const after = await listInstigators(instance);
  return (kind === 'schedule' ? after.schedules : after.sensors).find((i) => i.name === name)!;
}

async function instigationStateId(
  instance: Instance,
  kind: 'schedule' | 'sensor',
  name: string,
): Promise<string> {
  const data = await graphql<{ x: { scheduleState?: { id: string }; sensorState?: { id: string } } }>(
    instance,
    INSTIGATION_STATE_ID[kind],
    { s: { ...repository(instance), [kind === 'schedule' ? 'scheduleName' : 'sensorName']: name } },
  );
  return data.x.scheduleState?.id ?? data.x.sensorState?.id ?? '';
}

/**
 * Dagster adds its automation sensor stopped; a project whose nodes use automation conditions means them to act, so
 * the designer turns it on, once: never when someone has set it on this instance (on or off), as Dagster records.
 * Answers whether it started it.
 */
export async function startAutomationSensorOnce(
  instance: Instance,
  sensors: readonly Instigator[],
): Promise<boolean> {
  const sensor = sensors.find((s) => s.name === AUTOMATION_SENSOR);
  if (!sensor || sensor.status === 'RUNNING' || sensor.setOnInstance) return false;
  await setInstigatorRunning(instance, 'sensor', AUTOMATION_SENSOR, true);
  return true;
}

/** Whether any node of the project has an automation condition (then Dagster's automation sensor should run). */
export function usesAutomation(project: ProjectFile): boolean {
  return project.graph.nodes.some((n) => Boolean(n.data.translation?.automation_condition));
}

/** After the instance has started ahead of a run: the automation sensor on, once, when the project uses it. */
export async function enableAutomationWhenUsed(instance: Instance, project: ProjectFile): Promise<void> {
  if (!usesAutomation(project)) return;
  await startAutomationSensorOnce(instance, (await listInstigators(instance)).sensors);
}
