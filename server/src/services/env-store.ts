// Env-var values of a project: only in the workspace's `.env` (git-ignored, never exported or pushed), written
// atomically with mode 0600. Values leave this module in two ways only: into the environment of the project's
// own processes (preview, check, runs), and masked (last 2 characters at most) for the API.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ENV_VAR_NAME_PATTERN, MAX_ENV_VAR_NAME_LENGTH } from '@designer/shared';
import { AppError } from '../errors.js';
import { KeyedQueue, writeFileInside } from './atomic-file.js';

export const ENV_FILE = '.env';
export const MAX_ENV_VALUE = 32 * 1024;

interface Line {
  /** The variable a line assigns, or null for comments, blanks and lines we do not understand (kept as they are). */
  name: string | null;
  text: string;
  value?: string;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** Parses a dotenv file the way python-dotenv does for the common forms: bare, 'single' and "double" quotes. */
export function parseDotenv(text: string): Line[] {
  const lines: Line[] = [];
  const source = text.split(/\r?\n/);
  for (let i = 0; i < source.length; i += 1) {
    const raw = source[i]!;
    const m = ASSIGNMENT.exec(raw);
    if (!m) {
      if (i === source.length - 1 && raw === '') break;
      lines.push({ name: null, text: raw });
      continue;
    }
    let rest = m[2]!;
    let text = raw;
    let value: string;
    if (rest.startsWith('"')) {
      // A double-quoted value may span lines and has escapes.
      while (!/^"(?:[^"\\]|\\.)*"/s.test(rest) && i + 1 < source.length) {
        i += 1;
        rest += `\n${source[i]}`;
        text += `\n${source[i]}`;
      }
      const body = /^"((?:[^"\\]|\\.)*)"/s.exec(rest)?.[1] ?? rest.slice(1);
      value = body.replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    } else if (rest.startsWith("'")) {
      value = /^'([^']*)'/.exec(rest)?.[1] ?? rest.slice(1);
    } else {
      value = rest.replace(/\s+#.*$/, '').trim();
    }
    lines.push({ name: m[1]!, text, value });
  }
  return lines;
}

export function quoteDotenv(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** What the API may show of a value: its length class and at most its last 2 characters. */
export function maskValue(value: string): string {
  return value.length >= 8 ? `••••••${value.slice(-2)}` : '••••';
}

export function checkEnvName(name: string): void {
  if (!ENV_VAR_NAME_PATTERN.test(name) || name.length > MAX_ENV_VAR_NAME_LENGTH)
    throw new AppError(
      400,
      'invalid_env_name',
      `"${name.slice(0, 100)}" is not an environment variable name.`,
      'Use letters, digits and underscores, not starting with a digit (e.g. SNOWFLAKE_PASSWORD).',
    );
}

export class EnvStore {
  private queue = new KeyedQueue();

  /** The values set in the workspace's `.env` (empty when there is none). */
  async values(root: string): Promise<Record<string, string>> {
    const file = path.join(root, ENV_FILE);
    if (!existsSync(file)) return {};
    const out: Record<string, string> = {};
    for (const line of parseDotenv(await fs.readFile(file, 'utf8')))
      if (line.name !== null) out[line.name] = line.value ?? '';
    return out;
  }

  /** Sets (value) or removes (null) one variable; other lines and comments stay as they are. */
  async set(root: string, name: string, value: string | null): Promise<void> {
    checkEnvName(name);
    if (value !== null) {
      if (value.length > MAX_ENV_VALUE)
        throw new AppError(413, 'env_value_too_large', `The value of ${name} is longer than 32 KiB.`);
      if (value.includes('\0'))
        throw new AppError(400, 'invalid_env_value', `The value of ${name} contains a NUL character.`);
    }
    await this.queue.run(root, async () => {
      const file = path.join(root, ENV_FILE);
      const lines = existsSync(file) ? parseDotenv(await fs.readFile(file, 'utf8')) : [];
      const kept = lines.filter((l) => l.name !== name);
      const at = lines.findIndex((l) => l.name === name);
      if (value !== null) {
        const line = { name, text: `${name}=${quoteDotenv(value)}`, value };
        kept.splice(at === -1 ? kept.length : at, 0, line);
      }
      if (kept.length === 0 && !existsSync(file)) return;
      // Through the containment check: a .env that is a link out of the workspace is not written through.
      const real = await writeFileInside(root, file, `${kept.map((l) => l.text).join('\n')}\n`, 0o600);
      await fs.chmod(real, 0o600);
    });
  }
}

export interface EnvEntry {
  name: string;
  description?: string;
  required: boolean;
  usedBy: string[];
  set: boolean;
  source: '.env' | 'server' | null;
  masked: string | null;
}

/** Each referenced variable (and each one only set in `.env`) with whether it is set, masked. */
export function envStatus(
  referenced: Array<{ name: string; description?: string; required: boolean; usedBy: string[] }>,
  fileValues: Record<string, string>,
  serverEnv: NodeJS.ProcessEnv = process.env,
): EnvEntry[] {
  const entries = new Map(referenced.map((r) => [r.name, { ...r }]));
  for (const name of Object.keys(fileValues))
    if (!entries.has(name)) entries.set(name, { name, required: false, usedBy: [] });
  return [...entries.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => {
      const fromFile = fileValues[entry.name];
      const fromServer = serverEnv[entry.name];
      const value = fromFile ?? fromServer;
      return {
        ...entry,
        set: value !== undefined,
        source: fromFile !== undefined ? '.env' : fromServer !== undefined ? 'server' : null,
        masked: value === undefined ? null : maskValue(value),
      };
    });
}
