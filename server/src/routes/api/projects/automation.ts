// Schedules and sensors on the project's local Dagster instance: their state there, and turning one on or off.
import { AutomationState, Instigator, InstigatorToggle } from '@designer/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProjectParams } from '../../../plugins/project-loader.js';
import {
  listInstigators,
  setInstigatorRunning,
  startAutomationSensorOnce,
  usesAutomation,
} from '../../../services/schedules.js';
import { currentInstance } from '../../../services/current-instance.js';
import { routes } from '../../schemas.js';
import partitionRoutes from './partitions.js';

const InstigatorParams = Type.Object({
  ...ProjectParams.properties,
  kind: Type.Union([Type.Literal('schedule'), Type.Literal('sensor')]),
  name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 200 }),
});

const automation: FastifyPluginAsyncTypebox = async (app) => {
  const api = routes(app, 'runs');
  const { instances } = app.services;
  await app.register(partitionRoutes); // partitions and backfills: the same instance, their own file

  api.get(
    '/projects/:id/automation',
    "Schedules and sensors with their state on the project's local instance (starts it in the background when stopped; lists are empty until it is ready)",
    { response: { 200: AutomationState } },
    async ({ project, root }) => {
      const { instance, status } = currentInstance(instances, project.id, root);
      if (!instance) return { instance: status, schedules: [], sensors: [] };
      let listed = await listInstigators(instance);
      if (usesAutomation(project) && (await startAutomationSensorOnce(instance, listed.sensors)))
        listed = await listInstigators(instance);
      return { instance: 'ready' as const, ...listed };
    },
  );

  api.post(
    '/projects/:id/automation/:kind/:name',
    "Turn a schedule or sensor on or off on the project's local instance (startSchedule/stopRunningSchedule, startSensor/stopSensor); starts the instance when needed",
    { params: InstigatorParams, body: InstigatorToggle, response: { 200: Instigator } },
    async ({ project, root, params, body }) => {
      const instance = await instances.ensure(project.id, root);
      return setInstigatorRunning(instance, params.kind, params.name, body.running);
    },
  );
};
export default automation;
