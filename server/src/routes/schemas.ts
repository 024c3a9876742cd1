// Route schema pieces more than one route file declares: the error answers every route has, and the params of
// the routes under a project's deployment.
import { ErrorBody } from '@designer/shared';
import { Type } from '@sinclair/typebox';
import { ProjectParams } from '../plugins/project-loader.js';

/** The error answers of every route: `{ error: { code, message, hint? } }`. */
export const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

/** `/projects/:id/deployments/:depId/…` */
export const DeploymentParams = Type.Object({
  ...ProjectParams.properties,
  depId: Type.String({ maxLength: 64 }),
});

/** A run's id as Dagster writes it (a UUID). */
export const RunIdSchema = Type.String({ pattern: '^[0-9a-f-]{8,64}$' });
