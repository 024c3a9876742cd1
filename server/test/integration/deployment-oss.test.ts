// Connecting a project to a real Dagster OSS deployment (server/test/support/oss-deployment.ts: PostgreSQL,
// webserver, daemon, a code server on the checkout of the pushed branch, a proxy demanding a token): directly,
// through the proxy with a bearer token and with the Dagster+ headers; wrong URLs and tokens told clearly; the
// connection test names the location serving the pushed project; the token travels only where it should and
// is left nowhere (data folder, server log, answers, pushed history, checkout).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTest, Deployment, ProjectFile } from '@designer/shared';
import { allText, makeTestApp, pipesScript, scriptNode, type TestApp } from '../helpers.js';
import { startOssDeployment, type OssDeployment } from '../support/oss-deployment.js';

const TOKEN = 'dgp_OssDeploymentToken_4Kx8NeverLogged';
let t: TestApp;
let project: ProjectFile;
let oss: OssDeployment;
const logLines: string[] = [];
const answers: string[] = [];
/** A port nothing listens on (taken from the system, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

async function call(options: InjectOptions) {
  const res = await t.app.inject(options);
  answers.push(res.rawPayload.toString('latin1'), JSON.stringify(res.headers));
  return res;
}
const deployments = (rest = '', method: InjectOptions['method'] = 'GET', payload?: object) =>
  call({ method, url: `/api/projects/${project.id}/deployments${rest}`, ...(payload ? { payload } : {}) });

async function addDeployment(body: object): Promise<Deployment> {
  const res = await deployments('', 'POST', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const connectionTest = (dep: Deployment) => deployments(`/${dep.id}/test`, 'POST');

beforeAll(async () => {
  const logStream = new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) });
  t = await makeTestApp({ createWorkspaces: true, logLevel: 'debug' }, { level: 'debug', stream: logStream });
  const catalog = t.app.services.catalogEnv.prepare();
  project = (await call({ method: 'POST', url: '/api/projects', payload: { name: 'Team shop' } })).json();
  // The deployment starts while the designer creates the project's workspace.
  // Both are waited for even when one fails, so afterAll stops a deployment that did start.
  const [started, ready] = await Promise.allSettled([
    startOssDeployment({ packageName: project.package_name, token: TOKEN }),
    catalog.then(() => t.app.services.workspaces.settle()),
  ]);
  if (started.status === 'fulfilled') oss = started.value;
  for (const result of [started, ready]) if (result.status === 'rejected') throw result.reason;
  const saved = await call({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: {
      version: project.version,
      graph: { nodes: [scriptNode('a', 'extract', 'raw/orders')], edges: [] },
    },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  expect((await call({ method: 'POST', url: `/api/projects/${project.id}/sync` })).statusCode).toBe(200);
  const root = t.app.services.workspaces.requireReady(project.id);
  writeFileSync(
    path.join(root, 'src', project.package_name, 'defs', 'extract', 'extract.py'),
    pipesScript('hi'),
  );
  // The designer pushes the branch; the repository's hook checks it out for the code server; a reload serves it.
  const push = await call({
    method: 'POST',
    url: `/api/projects/${project.id}/git/push`,
    payload: { remote: oss.repo, branch: oss.branch },
  });
  expect(push.statusCode, push.body).toBe(200);
  expect(oss.checkoutHead()).toBe(push.json().commit);
  const state = await oss.reloadLocation();
  expect(state.error, oss.output().slice(-3000)).toBeUndefined();
}, 600_000);

afterAll(async () => {
  await oss?.stop();
  await t?.close();
});

describe('a project connected to a real Dagster OSS deployment', () => {
  it('starts in seconds', () => {
    console.log(`[deployment-oss] the OSS deployment started in ${oss.startMs} ms`);
    expect(oss.startMs).toBeLessThan(60_000);
  });

  it('connects directly: version, locations, and the location that serves the pushed project', async () => {
    const dep = await addDeployment({ name: 'Team OSS', kind: 'oss', url: oss.webserverUrl, auth: 'none' });
    const res = await connectionTest(dep);
    expect(res.statusCode, res.body).toBe(200);
    const test: ConnectionTest = res.json();
    expect(test).toMatchObject({ reachable: true, version: '1.13.27', servesProject: oss.locationName });
    expect(test.locations).toEqual([
      { name: oss.locationName, status: 'loaded', package: project.package_name },
    ]);
    expect(test.message).toContain(`"${oss.locationName}" serves "${project.package_name}"`);
  });

  it('tells a wrong URL apart from a wrong place on the right host', async () => {
    const closed = await addDeployment({
      name: 'Nothing there',
      kind: 'oss',
      url: `http://127.0.0.1:${await closedPort()}`,
      auth: 'none',
    });
    const down: ConnectionTest = (await connectionTest(closed)).json();
    expect(down).toMatchObject({ reachable: false, locations: [] });
    expect(down.message).toContain('connection was refused');
    expect(down.hint).toContain('Check the URL');

    // The webserver answers its web app (HTML) for a path it does not serve: not GraphQL, said plainly.
    const wrongPath = await addDeployment({
      name: 'Wrong path',
      kind: 'oss',
      url: `${oss.webserverUrl}/not-dagster`,
      auth: 'none',
    });
    const html: ConnectionTest = (await connectionTest(wrongPath)).json();
    expect(html.reachable).toBe(false);
    expect(html.message).toMatch(/answered HTTP \d+ .*not a GraphQL answer/);
  });

  it('goes through a proxy that demands a bearer token: missing, wrong and right token', async () => {
    const dep = await addDeployment({
      name: 'Behind proxy',
      kind: 'oss',
      url: oss.bearerUrl,
      auth: 'bearer',
    });
    const missing = await connectionTest(dep);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('deployment_token_missing');

    const seen = oss.proxied.length;
    await deployments(`/${dep.id}/token`, 'PUT', { token: 'wrong-token-1234' });
    const wrong = await connectionTest(dep);
    expect(wrong.statusCode, wrong.body).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'deployment_auth_failed' });
    expect(wrong.json().error.message).toContain('HTTP 401');
    expect(oss.proxied.slice(seen)).toMatchObject([
      { route: 'bearer', path: '/bearer/graphql', authorization: 'Bearer wrong-token-1234', status: 401 },
    ]);

    const set = await deployments(`/${dep.id}/token`, 'PUT', { token: TOKEN });
    expect(set.json().tokenSet).toBe(true);
    const ok = await connectionTest(dep);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ reachable: true, servesProject: oss.locationName });
    const last = oss.proxied.at(-1)!;
    expect(last).toMatchObject({
      route: 'bearer',
      method: 'POST',
      authorization: `Bearer ${TOKEN}`,
      status: 200,
    });
    expect(last.apiToken).toBeUndefined();
  });

  it('sends the Dagster+ headers as dg does, on the proxy route that demands them', async () => {
    const dep = await addDeployment({
      name: 'Plus-style',
      kind: 'plus',
      url: oss.plusUrl,
      organization: oss.organization,
      deployment: oss.deploymentName,
      auth: 'plus',
    });
    await deployments(`/${dep.id}/token`, 'PUT', { token: TOKEN });
    const ok = await connectionTest(dep);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ reachable: true, servesProject: oss.locationName });
    expect(oss.proxied.at(-1)).toMatchObject({
      route: 'plus',
      path: '/plus/graphql',
      apiToken: TOKEN,
      organization: oss.organization,
      deployment: oss.deploymentName,
      status: 200,
    });
    expect(oss.proxied.at(-1)!.authorization).toBeUndefined();

    // The wrong deployment name is refused by the proxy, and the refusal reads as an auth failure.
    const other = await deployments(`/${dep.id}`, 'PUT', {
      name: 'Plus-style',
      kind: 'plus',
      url: oss.plusUrl,
      organization: oss.organization,
      deployment: 'staging',
      auth: 'plus',
    });
    expect(other.json().tokenSet).toBe(true); // same URL and auth: the token stays
    const refused = await connectionTest(dep);
    expect(refused.statusCode).toBe(401);
    expect(oss.proxied.at(-1)).toMatchObject({ route: 'plus', deployment: 'staging', status: 401 });
  });

  it('shows the load error of the location serving the project after a broken push', async () => {
    const root = t.app.services.workspaces.requireReady(project.id);
    const broken = path.join(root, 'src', project.package_name, 'defs', 'broken.py');
    writeFileSync(broken, 'raise RuntimeError("broken on purpose")\n');
    const push = await call({
      method: 'POST',
      url: `/api/projects/${project.id}/git/push`,
      payload: { remote: oss.repo, branch: oss.branch },
    });
    expect(push.statusCode, push.body).toBe(200);
    const state = await oss.reloadLocation();
    expect(state.error).toContain('broken on purpose');
    const dep = (await deployments()).json().find((d: Deployment) => d.name === 'Team OSS');
    const test: ConnectionTest = (await connectionTest(dep)).json();
    expect(test).toMatchObject({ reachable: true, servesProject: oss.locationName });
    expect(test.locations[0]).toMatchObject({
      status: 'error',
      error: expect.stringContaining('broken on purpose'),
    });
    expect(test.message).toContain('failed to load');
  });

  it('leaves the token nowhere: data folder, server log, answers, ZIP, pushed history, checkout', async () => {
    const zip = await call({ method: 'GET', url: `/api/projects/${project.id}/export.zip` });
    expect(zip.statusCode).toBe(200);
    expect(count(zip.rawPayload.toString('latin1'), TOKEN), 'ZIP export').toBe(0);
    const history = execFileSync('git', ['--git-dir', oss.repo, 'log', '-p', '--all'], { encoding: 'utf8' });
    expect(history).toContain('raw/orders');
    expect(count(allText(t.dataDir), TOKEN), 'data folder').toBe(0);
    expect(logLines.length).toBeGreaterThan(10);
    expect(count(logLines.join(''), TOKEN), 'server log').toBe(0);
    expect(count(answers.join('\n'), TOKEN), 'API answers').toBe(0);
    expect(count(history, TOKEN), 'pushed history').toBe(0);
    expect(count(allText(oss.checkout), TOKEN), 'checkout').toBe(0);
    expect(count(oss.output(), TOKEN), 'deployment processes').toBe(0);
  });
});
