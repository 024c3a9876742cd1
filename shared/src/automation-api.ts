// The HTTP contract of schedules and sensors on a project's local Dagster instance (issue 15, item 6):
// their state there (on/off, next tick, last tick's result) and turning one on or off.
import { Type, type Static } from '@sinclair/typebox';

export const InstigatorTick = Type.Object({
  /** Dagster's tick status: STARTED, SKIPPED, SUCCESS, FAILURE. */
  status: Type.String(),
  /** ISO 8601. */
  at: Type.String(),
  runIds: Type.Array(Type.String()),
  error: Type.Optional(Type.String()),
  skipReason: Type.Optional(Type.String()),
});

export const Instigator = Type.Object({
  kind: Type.Union([Type.Literal('schedule'), Type.Literal('sensor')]),
  name: Type.String(),
  /** What the instance does now: RUNNING or STOPPED (a default_status in code counts until someone changes it). */
  status: Type.Union([Type.Literal('RUNNING'), Type.Literal('STOPPED')]),
  defaultStatus: Type.Union([Type.Literal('RUNNING'), Type.Literal('STOPPED')]),
  cron: Type.Optional(Type.String()),
  timezone: Type.Optional(Type.String()),
  /** A sensor's type (AUTO_MATERIALIZE for the automation condition sensor) and its minimum interval. */
  sensorType: Type.Optional(Type.String()),
  minIntervalSeconds: Type.Optional(Type.Integer()),
  /** ISO 8601: the next time it ticks while running. */
  nextTick: Type.Optional(Type.String()),
  lastTick: Type.Optional(InstigatorTick),
  /** Someone turned it on or off on this instance (Dagster's `canReset`): its code's default no longer applies. */
  setOnInstance: Type.Optional(Type.Boolean()),
});

export const AutomationState = Type.Object({
  /** The instance's state: lists are filled only when it is ready (a request starts it). */
  instance: Type.Union([
    Type.Literal('stopped'),
    Type.Literal('starting'),
    Type.Literal('ready'),
    Type.Literal('failed'),
  ]),
  schedules: Type.Array(Instigator),
  sensors: Type.Array(Instigator),
});

export const InstigatorToggle = Type.Object({ running: Type.Boolean() });

/** The sensor Dagster's Definitions add when any asset has an automation condition. */
export const AUTOMATION_SENSOR = 'default_automation_condition_sensor';

export type InstigatorTick = Static<typeof InstigatorTick>;
export type Instigator = Static<typeof Instigator>;
export type AutomationState = Static<typeof AutomationState>;
