// The project's environment variables (.env): which ones its components use, and setting or removing one.
import type { EnvVarStatus } from '@designer/shared';
import { api } from '../api/client';

/** Every variable the project's components use or its .env sets, with whether it has a value. */
export function readEnv(projectId: string): Promise<EnvVarStatus[]> {
  return api.env(projectId);
}

/** Sets a variable in the project's .env, or removes it (`null`); answers the list as it is now. */
export function setEnvVar(projectId: string, name: string, value: string | null): Promise<EnvVarStatus[]> {
  return api.setEnv(projectId, name, value);
}
