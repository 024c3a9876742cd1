// The GraphQL documents of schedules and sensors on a Dagster instance (services/schedules.ts sends them).

const STATE = 'id status ticks(limit: 1) { status timestamp runIds error { message } skipReason }';
const SCHEDULE = `name cronSchedule executionTimezone defaultStatus scheduleState { ${STATE} } futureTicks(limit: 1) { results { timestamp } }`;
const SENSOR = `name sensorType minIntervalSeconds defaultStatus canReset sensorState { ${STATE} } nextTick { timestamp }`;

/** Every schedule and sensor of a repository, with its state, last tick and next one. */
export const INSTIGATORS = `query ($repo: RepositorySelector!) {
      schedulesOrError(repositorySelector: $repo) { __typename ... on Schedules { results { ${SCHEDULE} } } ... on PythonError { message } }
      sensorsOrError(repositorySelector: $repo) { __typename ... on Sensors { results { ${SENSOR} } } ... on PythonError { message } }
    }`;

const RESULT = '{ __typename ... on PythonError { message } ... on UnauthorizedError { message } }';

/** Turning one on (by selector) or off (by its instigation state id), answered as `result`. */
export const SET_INSTIGATOR_RUNNING = {
  schedule: {
    start: `mutation ($s: ScheduleSelector!) { result: startSchedule(scheduleSelector: $s) ${RESULT} }`,
    stop: `mutation ($id: String!) { result: stopRunningSchedule(id: $id) ${RESULT} }`,
  },
  sensor: {
    start: `mutation ($s: SensorSelector!) { result: startSensor(sensorSelector: $s) ${RESULT} }`,
    stop: `mutation ($id: String!) { result: stopSensor(id: $id) ${RESULT} }`,
  },
} as const;

/** The id of a schedule's or sensor's instigation state (what stopping one takes), answered as `x`. */
export const INSTIGATION_STATE_ID = {
  schedule:
    'query ($s: ScheduleSelector!) { x: scheduleOrError(scheduleSelector: $s) { ... on Schedule { scheduleState { id } } } }',
  sensor:
    'query ($s: SensorSelector!) { x: sensorOrError(sensorSelector: $s) { ... on Sensor { sensorState { id } } } }',
} as const;
