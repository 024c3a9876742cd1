// A run's log events, one page after a cursor, from any Dagster GraphQL API (the local instance's, a
// deployment's), with a failed step's own error read from its captured stderr.
import type { RunEvent } from '@designer/shared';
import { notFound } from '../errors.js';
import { evaluationOf, type RawEvaluation } from './asset-checks.js';
import { CAPTURED_STDERR, RUN_LOGS } from './graphql/runs.js';

/** Asks one Dagster GraphQL API (the local instance's, a deployment's). */
export type DagsterQuery = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/**
 * One page of a run's log events after a cursor, from any Dagster GraphQL API; a failed step's own error is
 * read from its captured stderr (a Pipes subprocess tells Dagster only its exit code).
 */
export async function runLogsPage(
  query: DagsterQuery,
  runId: string,
  cursor?: string,
): Promise<{ events: RunEvent[]; cursor: string | null; hasMore: boolean }> {
  const data = await query<{
    logsForRun: {
      __typename: string;
      cursor?: string;
      hasMore?: boolean;
      events?: Array<{
        __typename: string;
        message: string;
        timestamp: string;
        level: string;
        stepKey: string | null;
        error?: { message: string; causes?: Array<{ message: string }> } | null;
        fileKey?: string;
        stepKeys?: string[] | null;
        evaluation?: RawEvaluation;
      }>;
    };
  }>(RUN_LOGS, { id: runId, cursor: cursor ?? null });
  const log = data.logsForRun;
  if (log.__typename !== 'EventConnection') throw notFound('run_not_found', `No logs for run ${runId}.`);
  // A step that fails in a subprocess (Pipes) tells Dagster only "exit code 1": its stderr says why.
  const stderrOf = new Map<string, string>();
  for (const e of log.events ?? []) {
    if (e.__typename !== 'LogsCapturedEvent' || !e.fileKey) continue;
    const failed = (e.stepKeys ?? []).filter((k) =>
      (log.events ?? []).some((f) => f.__typename === 'ExecutionStepFailureEvent' && f.stepKey === k),
    );
    if (failed.length === 0) continue;
    const captured = await query<{ capturedLogs: { stderr: string | null } }>(CAPTURED_STDERR, {
      key: [runId, 'compute_logs', e.fileKey],
    }).catch(() => null);
    const cause = userErrorOf(captured?.capturedLogs.stderr ?? '');
    for (const k of failed) if (cause) stderrOf.set(k, cause);
  }
  return {
    events: (log.events ?? []).map((e) => {
      // The outer error is Dagster's wrapper; its causes say what went wrong in the user's code.
      const stderr =
        e.__typename === 'ExecutionStepFailureEvent' && e.stepKey ? stderrOf.get(e.stepKey) : undefined;
      const error = e.error
        ? explained(
            [e.error.message, ...(e.error.causes ?? []).map((c) => c.message), ...(stderr ? [stderr] : [])]
              .map((m) => m.trim())
              .filter(Boolean)
              .join('\n'),
          )
        : '';
      return {
        type: e.__typename,
        message: e.message,
        timestamp: e.timestamp,
        level: e.level,
        stepKey: e.stepKey,
        ...(error ? { error } : {}),
        ...(e.evaluation ? { check: evaluationOf(e.evaluation) } : {}),
      };
    }),
    cursor: log.cursor ?? cursor ?? null,
    hasMore: Boolean(log.hasMore),
  };
}

/**
 * Dagster's words for a script that did not report something its node declares, followed by what to do (Dagster's
 * own hint is about `yield from pipes_session`, which a Pipes script never sees).
 */
export function explained(error: string): string {
  const missing = /did not yield or return expected outputs \{([^}]*)\}/.exec(error);
  if (!missing) return error;
  return `${error}\nThe script did not report every asset and check its node declares (${missing[1]}): each check in the node's Checks tab needs a context.report_asset_check(check_name="…", passed=…) call in the script, each asset a context.report_asset_materialization(…) call.`;
}

/** From a failed step's stderr: the user's own exception and where it was raised (not Dagster's frames). */
export function userErrorOf(stderr: string): string {
  const lines = stderr.split('\n');
  const errors = [
    ...new Set(
      lines
        .map((l) => l.trim())
        .filter(
          (l) =>
            /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)\b(:|$)/.test(l) && !l.startsWith('dagster'),
        ),
    ),
  ];
  const frames = lines
    .map((l) => l.trim())
    .filter(
      (l) => /^File ".+\.py", line \d+/.test(l) && !l.includes('/.venv/') && !l.includes('site-packages'),
    );
  if (errors.length === 0) return '';
  return [...(frames.length ? [frames[frames.length - 1]!] : []), ...errors].join('\n');
}
