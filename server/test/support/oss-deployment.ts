// A real Dagster OSS deployment for tests, all on 127.0.0.1 with free ports and throw-away folders:
// PostgreSQL (Debian's, its own data folder and port) as run/event/schedule storage via dagster-postgres,
// dagster-webserver, dagster-daemon and a gRPC code server (`dagster code-server start`) serving a checkout of the
// branch the designer pushes to: a local bare repository whose post-receive hook checks the branch out, as a
// team's CD would. In front of the webserver, a reverse proxy demands `Authorization: Bearer <token>` under
// /bearer and the Dagster+ headers under /plus, and records what it receives. rollOut() deploys as a CD on
// Kubernetes does (a new code server whose image tag is the commit: how an OSS deployment tells it). Set up by
// scripts/oss-deployment-setup.mjs (npm test's set-up). One deployment per test file: start in beforeAll.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  appendFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  deploymentEnvPaths,
  deploymentEnvReady,
  findPostgresBin,
} from '../../../scripts/oss-deployment-setup.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const toolchainDir = path.join(repoRoot, '.toolchain');

/** One request the proxy received: where, and the credentials it carried (the test compares them). */
export interface ProxyRecord {
  route: 'bearer' | 'plus' | 'other';
  method: string;
  path: string;
  authorization?: string;
  apiToken?: string;
  organization?: string;
  deployment?: string;
  status: number;
}

export interface OssDeployment {
  /** The webserver's base URL (GraphQL at <url>/graphql), no auth. */
  webserverUrl: string;
  /** The same webserver behind the proxy: `Authorization: Bearer <token>` required. */
  bearerUrl: string;
  /** The same webserver behind the proxy: Dagster-Cloud-Api-Token/-Organization/-Deployment required. */
  plusUrl: string;
  token: string;
  organization: string;
  deploymentName: string;
  /** What the proxy received, in order. */
  proxied: ProxyRecord[];
  /** The bare repository the designer pushes to (an absolute path, a valid git remote). */
  repo: string;
  branch: string;
  /** The code server's checkout of `branch`, updated by every push. */
  checkout: string;
  /** The code location's name (the project's package, as dg names it). */
  locationName: string;
  dagsterHome: string;
  /** Milliseconds from the call to a webserver that answers GraphQL with the location loaded or failed. */
  startMs: number;
  /** Everything the deployment's processes wrote (webserver, daemon, code server, PostgreSQL start). */
  output(): string;
  /** Reloads the code location (what a deploy step does after a push); resolves once it is loaded or failed. */
  reloadLocation(): Promise<LocationState>;
  /** The code location's state now, as the webserver tells. */
  locationState(): Promise<LocationState>;
  /** The commit the checkout is at, or null before the first push. */
  checkoutHead(): string | null;
  /**
   * What a team's CD on Kubernetes does to deploy: a new code server in place of the old one, from an image tagged
   * with the commit (here the same checkout, started with `--container-image <package>:<commit>`; default commit:
   * the branch's head). The webserver shows the image in the location's display metadata, which is where it
   * tells the commit it serves. Resolves once the webserver has loaded the location from the new server.
   */
  rollOut(commit?: string): Promise<LocationState>;
  /** Stops every process and removes every folder. */
  stop(): Promise<void>;
}

export interface LocationState {
  loadStatus: 'LOADING' | 'LOADED' | 'UNKNOWN';
  /** The load error, when the location failed to load. */
  error?: string;
}

export interface OssDeploymentOptions {
  packageName: string;
  token: string;
  branch?: string;
  organization?: string;
  deploymentName?: string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** initdb and pg_ctl refuse root: as root they run as Debian's `postgres` user (an argument array, no shell). */
function asPostgres(program: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
}

async function startPostgres(
  dir: string,
  log: (text: string) => void,
): Promise<{ url: string; stop: () => void }> {
  const bin = findPostgresBin();
  if (!bin)
    throw new Error(
      'PostgreSQL is not installed: run `node scripts/oss-deployment-setup.mjs` (npm test does).',
    );
  const data = path.join(dir, 'postgres');
  mkdirSync(data, { mode: 0o700 });
  if (process.getuid?.() === 0) {
    const id = (flag: string) => {
      try {
        return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
      } catch {
        throw new Error(
          'initdb refuses root, and there is no `postgres` user to run it as (Debian’s postgresql-common makes it): reinstall postgresql, or run the tests as another user.',
        );
      }
    };
    const [uid, gid] = [id('-u'), id('-g')];
    chmodSync(dir, 0o755); // the postgres user walks through the throw-away folder to its data folder
    chownSync(data, uid, gid);
  }
  const port = await freePort();
  const [initdb, initArgs] = asPostgres(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    // The C locale exists everywhere: a fresh CI machine's LANG may name a locale it does not have.
    '--no-locale',
    '--no-sync',
    '--no-instructions',
  ]);
  log(execFileSync(initdb, initArgs, { encoding: 'utf8', cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] }));
  // Its own port and socket folder, only 127.0.0.1, and no fsync: a test database, thrown away after.
  appendFileSync(
    path.join(data, 'postgresql.conf'),
    `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${data}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n`,
  );
  const pgCtl = (...args: string[]) => asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const [start, startArgs] = pgCtl('-w', '-t', '60', '-l', path.join(data, 'server.log'), 'start');
  log(execFileSync(start, startArgs, { encoding: 'utf8', cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] }));
  return {
    // The driver named: SQLAlchemy 2.1 (what dagster 1.13.27 gets) defaults to psycopg 3, dagster-postgres
    // ships psycopg2.
    url: `postgresql+psycopg2://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      const [stop, stopArgs] = pgCtl('-m', 'fast', '-w', 'stop');
      try {
        execFileSync(stop, stopArgs, { cwd: '/', stdio: 'ignore', timeout: 30_000 });
      } catch {
        // already stopped
      }
    },
  };
}

/** The bare repository, the checkout, and the hook that checks the branch out on every push. */
function makeRepository(dir: string, branch: string): { repo: string; checkout: string } {
  const repo = path.join(dir, 'team.git');
  const checkout = path.join(dir, 'checkout');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', branch, repo]);
  mkdirSync(path.join(checkout, 'src'), { recursive: true });
  const hook = path.join(repo, 'hooks', 'post-receive');
  writeFileSync(
    hook,
    [
      '#!/bin/sh',
      '# What a team CD does: the pushed branch becomes the code server checkout.',
      'while read old new ref; do',
      `  if [ "$ref" = "refs/heads/${branch}" ]; then`,
      `    git --work-tree='${checkout}' checkout --quiet -f '${branch}'`,
      '  fi',
      'done',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return { repo, checkout };
}

/** The reverse proxy: checks the credentials of each route, records them, forwards what passes. */
async function startProxy(
  target: string,
  options: { token: string; organization: string; deploymentName: string },
  records: ProxyRecord[],
): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const route = url.startsWith('/bearer/') ? 'bearer' : url.startsWith('/plus/') ? 'plus' : 'other';
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const record: ProxyRecord = {
      route,
      method: req.method ?? 'GET',
      path: url,
      authorization: header('authorization'),
      apiToken: header('dagster-cloud-api-token'),
      organization: header('dagster-cloud-organization'),
      deployment: header('dagster-cloud-deployment'),
      status: 0,
    };
    records.push(record);
    const allowed =
      route === 'bearer'
        ? record.authorization === `Bearer ${options.token}`
        : route === 'plus'
          ? record.apiToken === options.token &&
            record.organization === options.organization &&
            record.deployment === options.deploymentName
          : false;
    if (!allowed) {
      record.status = route === 'other' ? 404 : 401;
      req.resume();
      res
        .writeHead(record.status, { 'content-type': 'text/plain' })
        .end(route === 'other' ? 'not found' : 'missing or wrong credentials');
      return;
    }
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host };
    for (const name of [
      'authorization',
      'dagster-cloud-api-token',
      'dagster-cloud-organization',
      'dagster-cloud-deployment',
    ])
      delete headers[name];
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url.slice(route.length + 1),
        headers,
      },
      (answer) => {
        record.status = answer.statusCode ?? 502;
        res.writeHead(record.status, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      record.status = 502;
      if (!res.headersSent) res.writeHead(502).end('upstream unreachable');
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function spawnLogged(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  log: (t: string) => void,
) {
  // Its own process group, so stop() ends the children it starts too (run workers, the code server's server).
  const child = spawn(program, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const name = path.basename(program);
  child.stdout?.on('data', (chunk: Buffer) => log(`[${name}] ${chunk.toString()}`));
  child.stderr?.on('data', (chunk: Buffer) => log(`[${name}] ${chunk.toString()}`));
  child.on('exit', (code, signal) => log(`[${name}] exited (${code ?? signal})\n`));
  return child;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
  // Whatever of the group outlived its leader (a run worker): gone too.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // nothing left
  }
}

async function graphql<T>(url: string, query: string, timeoutMs = 5_000): Promise<T | null> {
  try {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return null;
    return ((await res.json()) as { data?: T }).data ?? null;
  } catch {
    return null;
  }
}

async function locationState(url: string): Promise<LocationState> {
  const data = await graphql<{
    workspaceOrError: {
      locationEntries?: Array<{
        loadStatus: 'LOADING' | 'LOADED';
        locationOrLoadError: {
          __typename: string;
          message?: string;
          causes?: Array<{ message: string }>;
        } | null;
      }>;
    };
  }>(
    url,
    '{ workspaceOrError { ... on Workspace { locationEntries { loadStatus locationOrLoadError { __typename ... on PythonError { message causes { message } } } } } } }',
  );
  const entry = data?.workspaceOrError.locationEntries?.[0];
  if (!entry) return { loadStatus: 'UNKNOWN' };
  const failed = entry.locationOrLoadError?.__typename === 'PythonError' ? entry.locationOrLoadError : null;
  const error = failed
    ? [failed.message, ...(failed.causes ?? []).map((c) => c.message)].join('\nCaused by: ')
    : undefined;
  return { loadStatus: entry.loadStatus, ...(error ? { error } : {}) };
}

/** The image the location's display metadata names (what a roll-out changes), once it is loaded from it. */
async function servedImage(url: string): Promise<string | undefined> {
  const data = await graphql<{
    workspaceOrError: {
      locationEntries?: Array<{ loadStatus: string; displayMetadata: Array<{ key: string; value: string }> }>;
    };
  }>(
    url,
    '{ workspaceOrError { ... on Workspace { locationEntries { loadStatus displayMetadata { key value } } } } }',
  );
  const entry = data?.workspaceOrError.locationEntries?.[0];
  return entry?.loadStatus === 'LOADED'
    ? entry.displayMetadata.find((m) => m.key === 'image')?.value
    : undefined;
}

/** The code server is up but not yet serving (its gRPC answers UNAVAILABLE): worth asking again. */
const notYetServing = (state: LocationState) =>
  !!state.error && /Could not reach user code server|UNAVAILABLE/.test(state.error);

async function reload(url: string, location: string): Promise<void> {
  await graphql(
    url,
    `mutation { reloadRepositoryLocation(repositoryLocationName: ${JSON.stringify(location)}) { __typename } }`,
    // The code server restarts its process and loads the code before the mutation answers.
    180_000,
  );
}

/** Waits until the webserver answers GraphQL and its location is loaded or failed for a reason of its code. */
async function waitForLocation(
  url: string,
  location: string,
  isAlive: () => boolean,
  timeoutMs = 120_000,
): Promise<LocationState> {
  const deadline = Date.now() + timeoutMs;
  let lastReload = Date.now();
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('a deployment process exited while starting');
    const state = await locationState(url);
    if (state.loadStatus === 'LOADED' && !notYetServing(state)) return state;
    if (state.loadStatus === 'LOADED' && Date.now() - lastReload > 500) {
      await reload(url, location);
      lastReload = Date.now();
    }
    await sleep(200);
  }
  throw new Error(`the webserver at ${url} did not load location ${location} in ${timeoutMs / 1000} s`);
}

export async function startOssDeployment(options: OssDeploymentOptions): Promise<OssDeployment> {
  const started = Date.now();
  if (!deploymentEnvReady(toolchainDir))
    throw new Error(
      'The deployment environment is missing: run `node scripts/oss-deployment-setup.mjs` (npm test does).',
    );
  const { bin } = deploymentEnvPaths(toolchainDir);
  const branch = options.branch ?? 'main';
  const organization = options.organization ?? 'test-org';
  const deploymentName = options.deploymentName ?? 'prod';
  const locationName = options.packageName;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'designer-oss-'));
  const lines: string[] = [];
  const log = (text: string) => void lines.push(text);
  const children: ChildProcess[] = [];
  const proxied: ProxyRecord[] = [];
  let postgres: { stop: () => void } | null = null;
  let proxy: { url: string; close: () => Promise<void> } | null = null;

  // A test process that exits without calling stop() (a crash, an interrupted run) takes the deployment with it.
  const onExit = () => {
    for (const child of children)
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    await Promise.all(children.map(stopGroup));
    await proxy?.close();
    postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const { repo, checkout } = makeRepository(dir, branch);
    const home = path.join(dir, 'dagster_home');
    mkdirSync(home);
    const [codePort, webPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: process.env.HOME ?? dir,
      LANG: 'C.UTF-8',
      DAGSTER_HOME: home,
      PYTHONUNBUFFERED: '1',
      DAGSTER_DISABLE_TELEMETRY: '1',
    };
    const branchHead = () =>
      execFileSync('git', ['--git-dir', repo, 'rev-parse', `refs/heads/${branch}`], {
        encoding: 'utf8',
      }).trim();
    const startCodeServer = (image?: string) =>
      spawnLogged(
        path.join(bin, 'dagster'),
        [
          'code-server',
          'start',
          '--host',
          '127.0.0.1',
          '--port',
          String(codePort),
          '--module-name',
          `${options.packageName}.definitions`,
          '--working-directory',
          path.join(checkout, 'src'),
          '--location-name',
          locationName,
          '--use-python-environment-entry-point',
          ...(image ? ['--container-image', image] : []),
        ],
        env,
        checkout,
        log,
      );
    // The code server needs no storage to start: it loads (or fails to load) the checkout meanwhile.
    let codeServer = startCodeServer();
    children.push(codeServer);
    const pg = await startPostgres(dir, log);
    postgres = pg;
    writeFileSync(
      path.join(home, 'dagster.yaml'),
      [
        'storage:',
        '  postgres:',
        `    postgres_url: "${pg.url}"`,
        'telemetry:',
        '  enabled: false',
        'run_monitoring:',
        '  enabled: true',
        '',
      ].join('\n'),
    );
    const workspace = path.join(home, 'workspace.yaml');
    writeFileSync(
      workspace,
      [
        'load_from:',
        '  - grpc_server:',
        '      host: 127.0.0.1',
        `      port: ${codePort}`,
        `      location_name: ${locationName}`,
        '      additional_metadata:',
        `        module_name: ${options.packageName}.definitions`,
        '',
      ].join('\n'),
    );
    // The webserver creates the storage's tables; the daemon starts once they are there.
    const webserver = spawnLogged(
      path.join(bin, 'dagster-webserver'),
      ['--host', '127.0.0.1', '--port', String(webPort), '--workspace', workspace],
      env,
      home,
      log,
    );
    children.push(webserver);
    const webserverUrl = `http://127.0.0.1:${webPort}`;
    const alive = () => children.every((c) => c.exitCode === null);
    await waitForLocation(webserverUrl, locationName, alive);
    children.push(
      spawnLogged(path.join(bin, 'dagster-daemon'), ['run', '--workspace', workspace], env, home, log),
    );
    proxy = await startProxy(webserverUrl, { token: options.token, organization, deploymentName }, proxied);
    const proxyUrl = proxy.url;
    return {
      webserverUrl,
      bearerUrl: `${proxyUrl}/bearer`,
      plusUrl: `${proxyUrl}/plus`,
      token: options.token,
      organization,
      deploymentName,
      proxied,
      repo,
      branch,
      checkout,
      locationName,
      dagsterHome: home,
      startMs: Date.now() - started,
      output: () => lines.join(''),
      reloadLocation: async () => {
        await reload(webserverUrl, locationName);
        return waitForLocation(webserverUrl, locationName, alive);
      },
      locationState: () => locationState(webserverUrl),
      checkoutHead: () => {
        if (!existsSync(path.join(checkout, 'pyproject.toml'))) return null;
        return branchHead();
      },
      rollOut: async (commit) => {
        const image = `${options.packageName}:${commit ?? branchHead()}`;
        const old = codeServer;
        await stopGroup(old);
        children.splice(children.indexOf(old), 1);
        codeServer = startCodeServer(image);
        children.push(codeServer);
        // The webserver's watch of the gRPC server sees a new server and loads the location from it.
        const deadline = Date.now() + 120_000;
        while ((await servedImage(webserverUrl)) !== image) {
          if (!alive()) throw new Error('a deployment process exited during the roll-out');
          if (Date.now() > deadline) throw new Error(`the webserver did not load ${image} in 120 s`);
          await sleep(250);
        }
        return waitForLocation(webserverUrl, locationName, alive);
      },
      stop,
    };
  } catch (error) {
    const tail = lines.join('').slice(-4000);
    await stop();
    throw new Error(`${(error as Error).message}\n--- deployment output (tail) ---\n${tail}`);
  }
}
