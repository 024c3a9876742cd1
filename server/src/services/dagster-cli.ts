// The only place that runs uv, uvx, dg or a project's Python: argument arrays, timeouts, cancellation,
// and failures turned into AppErrors with hints.
import { execFile, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { execa } from 'execa';
import { pythonScript } from '../config.js';
import { AppError } from '../errors.js';
import type { Toolchain } from './toolchain.js';

export interface RunOptions {
  cwd: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  env?: Record<string, string>;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
// Variables of the designer's own process that must not leak into the tools it runs. PYTHONDONTWRITEBYTECODE
// (set in many container images) would make every dg, Dagster and dbt process compile its imports from source
// again: `import dagster` takes 3.6 s of CPU so, 1.7 s from __pycache__. The designer owns the environments
// it runs them in, and no listing, export or push shows __pycache__.
const DROPPED_ENV = [
  'VIRTUAL_ENV',
  'PYTHONPATH',
  'PYTHONHOME',
  'DESIGNER_TOKEN',
  'CONDA_PREFIX',
  'PYTHONDONTWRITEBYTECODE',
];

const execFileAsync = promisify(execFile);

/** The version `uv --version` reports, or null when that uv cannot run. */
export async function readUvVersion(uvPath: string): Promise<string | null> {
  try {
    const { stdout } = await execFileAsync(uvPath, ['--version'], { timeout: 10_000 });
    return /uv (\S+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

export class DagsterCli {
  constructor(private readonly toolchain: Toolchain) {}

  /** The environment every tool runs in: pinned Python, project-local uv cache, no update checks. */
  toolEnv(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !DROPPED_ENV.includes(k)) env[k] = v;
    const uvDir = path.dirname(this.toolchain.uvPath);
    return {
      ...env,
      PATH: uvDir === '.' ? (env.PATH ?? '') : `${uvDir}${path.delimiter}${env.PATH ?? ''}`,
      UV_CACHE_DIR: env.UV_CACHE_DIR ?? this.toolchain.uvCacheDir,
      UV_PYTHON: this.toolchain.pins.python,
      UV_PYTHON_DOWNLOADS: 'never',
      UV_NO_PROGRESS: '1',
      DAGSTER_DG_UPDATE_CHECK_ENABLED: '0',
      DAGSTER_DISABLE_TELEMETRY: '1',
      NO_COLOR: '1',
      TERM: 'dumb',
      COLUMNS: '200',
      ...extra,
    };
  }

  /** Runs a program; never throws for a non-zero exit (callers decide), throws AppError on timeout/cancel/spawn failure. */
  async run(file: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    for (const arg of args) {
      if (arg.includes('\0')) throw new AppError(400, 'invalid_argument', 'An argument contains a NUL byte.');
    }
    const started = performance.now();
    const result = await execa(file, args, {
      cwd: options.cwd,
      env: this.toolEnv(options.env),
      extendEnv: false,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      cancelSignal: options.signal,
      reject: false,
      stdin: 'ignore',
      maxBuffer: 64 * 1024 * 1024,
      forceKillAfterDelay: 5_000,
    });
    const durationMs = performance.now() - started;
    const command = `${path.basename(file)} ${args.slice(0, 3).join(' ')}`;
    if (result.timedOut) {
      throw new AppError(
        504,
        'tool_timeout',
        `\`${command}\` did not finish within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s.`,
        'Retry; if it keeps happening, run the command by hand in the project folder to see where it hangs.',
      );
    }
    if (result.isCanceled) throw new AppError(499, 'tool_canceled', `\`${command}\` was cancelled.`);
    if (result.failed && result.exitCode === undefined) {
      throw new AppError(
        500,
        'tool_not_found',
        `Could not start \`${command}\`: ${result.shortMessage ?? ''}`.trim(),
        'Run `npm start` to install the toolchain.',
      );
    }
    return {
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      exitCode: result.exitCode ?? 1,
      durationMs,
    };
  }

  /** `uvx create-dagster@<pinned> project <dir> --no-uv-sync`: dir's last segment becomes the package name. */
  async createProject(dir: string, options: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
    return this.expectSuccess(
      await this.run(
        this.toolchain.uvPath,
        [
          'tool',
          'run',
          `create-dagster@${this.toolchain.pins.createDagster}`,
          'project',
          dir,
          '--no-uv-sync',
        ],
        {
          ...options,
          cwd: path.dirname(dir),
        },
      ),
      'create-dagster failed',
      'Check that PyPI is reachable and that Python ' + this.toolchain.pins.python + ' is installed.',
    );
  }

  async uvSync(projectDir: string, options: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
    return this.expectSuccess(
      await this.run(this.toolchain.uvPath, ['sync'], { ...options, cwd: projectDir }),
      'uv sync failed',
      'Check that PyPI is reachable.',
    );
  }

  async uvAdd(
    projectDir: string,
    requirements: readonly string[],
    options: Omit<RunOptions, 'cwd'> = {},
  ): Promise<RunResult> {
    for (const r of requirements) {
      if (
        r.startsWith('-') ||
        !/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,_-]+\])?([<>=!~]=?[0-9A-Za-z.*+]+,?)*$/.test(r)
      ) {
        throw new AppError(400, 'invalid_requirement', `"${r}" is not a package requirement.`);
      }
    }
    return this.expectSuccess(
      await this.run(this.toolchain.uvPath, ['add', ...requirements], { ...options, cwd: projectDir }),
      `uv add ${requirements.join(' ')} failed`,
      'Check the package names and that PyPI is reachable.',
    );
  }

  /** A program from the project's own virtual environment (dg, python, dagster). */
  venvBin(projectDir: string, program: string): string {
    return path.join(projectDir, '.venv', 'bin', program);
  }

  /** `dg list components --json` in the project: `[{ key, summary }]`. */
  async listComponents(
    projectDir: string,
    options: Omit<RunOptions, 'cwd'> = {},
  ): Promise<Array<{ key: string; summary: string | null }>> {
    const result = this.expectSuccess(
      await this.run(this.venvBin(projectDir, 'dg'), ['list', 'components', '--json'], {
        ...options,
        cwd: projectDir,
        env: this.venvEnv(projectDir),
      }),
      'dg list components failed',
    );
    const parsed = JSON.parse(result.stdout) as
      | { items?: Array<{ key: string; summary: string | null }> }
      | Array<{ key: string; summary: string | null }>;
    return Array.isArray(parsed) ? parsed : (parsed.items ?? []);
  }

  /** `dg utils inspect-component <type> <flag>`. */
  async inspectComponent(
    projectDir: string,
    type: string,
    flag:
      '--description' | '--defs-yaml-json-schema' | '--scaffold-params-schema' | '--defs-yaml-example-values',
    options: Omit<RunOptions, 'cwd'> = {},
  ): Promise<string> {
    const result = this.expectSuccess(
      await this.run(this.venvBin(projectDir, 'dg'), ['utils', 'inspect-component', type, flag], {
        ...options,
        cwd: projectDir,
        env: this.venvEnv(projectDir),
      }),
      `dg utils inspect-component ${type} failed`,
    );
    return result.stdout;
  }

  /** `dg scaffold defs <full.Type> <folder>`: creates src/<pkg>/defs/<folder>/defs.yaml. */
  async scaffoldDefs(
    projectDir: string,
    type: string,
    folder: string,
    options: Omit<RunOptions, 'cwd'> = {},
  ): Promise<RunResult> {
    if (!/^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/.test(type) || !/^[a-z][a-z0-9_]*$/.test(folder)) {
      throw new AppError(400, 'invalid_argument', 'Component type or folder name is not valid.');
    }
    return this.run(this.venvBin(projectDir, 'dg'), ['scaffold', 'defs', type, folder], {
      ...options,
      cwd: projectDir,
      env: this.venvEnv(projectDir),
    });
  }

  /** `dg check yaml`: exit 1 with `file:line - type message` lines when a defs.yaml is wrong. */
  async checkYaml(projectDir: string, options: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
    return this.run(this.venvBin(projectDir, 'dg'), ['check', 'yaml'], {
      ...options,
      cwd: projectDir,
      env: this.venvEnv(projectDir),
    });
  }

  /** `dg check defs`: validates the YAML, then loads every definition. */
  async checkDefs(projectDir: string, options: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
    return this.run(this.venvBin(projectDir, 'dg'), ['check', 'defs'], {
      ...options,
      cwd: projectDir,
      env: { ...this.venvEnv(projectDir), DAGSTER_IS_DEV_CLI: '1' },
    });
  }

  /** `dg list defs --json`: what the real definitions contain. */
  async listDefs(projectDir: string, options: Omit<RunOptions, 'cwd'> = {}): Promise<RunResult> {
    return this.run(this.venvBin(projectDir, 'dg'), ['list', 'defs', '--json'], {
      ...options,
      cwd: projectDir,
      env: this.venvEnv(projectDir),
    });
  }

  /**
   * A long-running `dg` process of the project against its Dagster home (`dg dev`, or `dg launch` for a run with
   * its own environment): started here, followed and stopped by the caller. `env` goes under the venv's PATH.
   */
  startDg(
    projectDir: string,
    args: readonly string[],
    options: { env: Record<string, string>; dagsterHome: string; detached?: boolean },
  ): ChildProcess {
    return spawn(this.venvBin(projectDir, 'dg'), args, {
      cwd: projectDir,
      env: this.toolEnv({
        ...options.env,
        ...this.venvEnv(projectDir),
        DAGSTER_HOME: options.dagsterHome,
        DAGSTER_IS_DEV_CLI: '1',
      }),
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** As if the project's venv were activated: dg warns otherwise, and dagster-dbt looks for `dbt` on PATH. */
  venvEnv(projectDir: string): Record<string, string> {
    const venv = path.join(projectDir, '.venv');
    return { VIRTUAL_ENV: venv, PATH: `${path.join(venv, 'bin')}${path.delimiter}${this.toolEnv().PATH}` };
  }

  /** Extracts an uploaded ZIP with the checks of unzip_safe.py (no escape, no links, no bombs); exit 2 = refused. */
  async unzip(zipFile: string, target: string): Promise<RunResult> {
    return this.run('python3', [pythonScript('unzip_safe.py'), zipFile, target], {
      cwd: path.dirname(zipFile),
      timeoutMs: 120_000,
    });
  }

  /** Runs one of the designer's Python scripts (server/python/) with the project's interpreter. */
  async runScript(
    projectDir: string,
    script: string,
    args: readonly string[],
    options: Omit<RunOptions, 'cwd'> = {},
  ): Promise<RunResult> {
    return this.run(this.venvBin(projectDir, 'python'), [script, ...args], { ...options, cwd: projectDir });
  }

  /**
   * A long-lived Python process of the project's interpreter that speaks over stdin/stdout (the warm inspector):
   * started here, followed and stopped by the caller. `env` goes over the venv's.
   */
  startPython(
    projectDir: string,
    args: readonly string[],
    options: { env?: Record<string, string> } = {},
  ): ChildProcessWithoutNullStreams {
    const env = this.toolEnv({ ...this.venvEnv(projectDir), ...options.env });
    return spawn(this.venvBin(projectDir, 'python'), args, { cwd: projectDir, env, stdio: 'pipe' });
  }

  private expectSuccess(result: RunResult, what: string, hint?: string): RunResult {
    if (result.exitCode !== 0) {
      const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-12).join('\n');
      throw new AppError(502, 'tool_failed', `${what} (exit ${result.exitCode}): ${tail}`, hint);
    }
    return result;
  }
}
