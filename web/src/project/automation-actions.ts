// Schedules and sensors on the project's local Dagster instance: their state there, and turning one on or off.
import type { AutomationState, Instigator } from '@designer/shared';
import { api } from '../api/client';

export function readAutomation(projectId: string): Promise<AutomationState> {
  return api.automation(projectId);
}

/** Starts or stops a schedule or sensor (Dagster keeps that state in the instance, not in the code). */
export function setInstigatorRunning(
  projectId: string,
  kind: Instigator['kind'],
  name: string,
  running: boolean,
): Promise<Instigator> {
  return api.setInstigatorRunning(projectId, kind, name, running);
}
