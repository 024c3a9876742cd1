// Dagster's answer to launchPipelineExecution, read the same way for a local instance and a team's deployment: the
// run id, or the refusal in words (an AppError). What differs is who refused and the refusals only one place meets.
import { AppError } from '../errors.js';

export interface RawLaunchResult {
  __typename: string;
  run?: { runId: string };
  message?: string;
  errors?: Array<{ message: string }>;
}

/** Where a run was launched, as its refusals name it. */
export interface LaunchPlace {
  /** Who refused a selection: "Dagster", "The deployment". */
  who: string;
  /** What to do about a selection it cannot run. */
  selectionHint?: string;
  /** The refusals this place words itself, by GraphQL type name. */
  refusals: Partial<Record<string, (result: RawLaunchResult) => AppError>>;
  /** Any other refusal. */
  otherwise: (result: RawLaunchResult) => AppError;
}

/** The launched run's id; a refusal thrown as an AppError. */
export function launchedRunId(result: RawLaunchResult, place: LaunchPlace): string {
  switch (result.__typename) {
    case 'LaunchRunSuccess':
      return result.run!.runId;
    case 'InvalidSubsetError':
      throw new AppError(
        400,
        'invalid_asset_selection',
        `${place.who} cannot run that selection: ${result.message}`,
        place.selectionHint,
      );
    case 'RunConfigValidationInvalid':
      throw new AppError(
        400,
        'invalid_run_config',
        `The run configuration is not valid: ${(result.errors ?? []).map((e) => e.message).join('; ')}`,
        "Check the run configuration against the job's config schema.",
      );
  }
  throw (place.refusals[result.__typename] ?? place.otherwise)(result);
}
