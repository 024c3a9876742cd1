// A project's deployments (`<dataDir>/.deployments/<projectId>.json`, outside the workspace so an import or a
// re-created workspace keeps them) and their tokens, which live in memory only, each bound to the exact URL it
// was given for, or are read from the environment. No token is ever written, answered or logged.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Type, type Static } from '@sinclair/typebox';
import {
  Deployment as DeploymentSchema,
  DEPLOYMENT_ENV_TOKEN,
  deploymentProblem,
  MAX_DEPLOYMENTS,
  normaliseDeploymentUrl,
  UUID_PATTERN,
  type Deployment,
  type DeploymentInput,
} from '@designer/shared';
import { AppError, badRequest, conflict, notFound } from '../../errors.js';
import { KeyedQueue, writeFileAtomic } from '../atomic-file.js';
import { assertProjectId } from '../project-store.js';

/** A deployment as stored: everything but `tokenSet`, which depends on the memory and environment of now. */
const StoredDeployment = Type.Omit(DeploymentSchema, ['tokenSet']);
export type StoredDeployment = Static<typeof StoredDeployment>;
const DeploymentsFile = Type.Object({ version: Type.Literal(1), deployments: Type.Array(StoredDeployment) });
const checkFile = TypeCompiler.Compile(DeploymentsFile);

export const FOLDER = '.deployments';

/** Why a token cannot travel in an HTTP header (control characters, spaces), or null. */
export function tokenProblem(token: string): string | null {
  if (token.trim() !== token || token === '') return 'has spaces or line breaks around it';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (/[\s\u0000-\u001f\u007f]/.test(token)) return 'contains spaces or control characters';
  // A header value is Latin-1 at most.
  if (/[^\u0020-\u00ff]/.test(token)) return 'contains characters an HTTP header cannot carry';
  return null;
}

export class DeploymentStore {
  private queue = new KeyedQueue();
  /** `<projectId>/<deploymentId>` → the token given this session and the URL it was given for. */
  private tokens = new Map<string, { url: string; token: string }>();

  constructor(
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  fileOf(projectId: string): string {
    assertProjectId(projectId);
    return path.join(this.dataDir, FOLDER, `${projectId}.json`);
  }

  private async read(projectId: string): Promise<StoredDeployment[]> {
    let text: string;
    try {
      text = await fs.readFile(this.fileOf(projectId), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = null;
    }
    if (!checkFile.Check(raw))
      throw new AppError(
        500,
        'deployments_unreadable',
        `The project's deployment list (${path.join(FOLDER, `${projectId}.json`)} in the data folder) is not valid.`,
        'Fix or delete that file, then add the deployments again.',
      );
    return raw.deployments;
  }

  private async write(projectId: string, deployments: StoredDeployment[]): Promise<void> {
    await fs.mkdir(path.join(this.dataDir, FOLDER), { recursive: true });
    await writeFileAtomic(
      this.fileOf(projectId),
      `${JSON.stringify({ version: 1, deployments }, null, 1)}\n`,
    );
  }

  /** The token for a deployment now: the environment's, or the one given for exactly its current URL. */
  tokenOf(projectId: string, deployment: StoredDeployment): string | undefined {
    if (deployment.auth === 'none') return undefined;
    if (deployment.tokenFrom === 'env') return this.env[DEPLOYMENT_ENV_TOKEN] || undefined;
    const kept = this.tokens.get(`${projectId}/${deployment.id}`);
    return kept && kept.url === deployment.url ? kept.token : undefined;
  }

  private answer(projectId: string, deployment: StoredDeployment): Deployment {
    return { ...deployment, tokenSet: this.tokenOf(projectId, deployment) !== undefined };
  }

  async list(projectId: string): Promise<Deployment[]> {
    return (await this.read(projectId)).map((d) => this.answer(projectId, d));
  }

  async get(projectId: string, deploymentId: string): Promise<StoredDeployment> {
    if (!UUID_PATTERN.test(deploymentId))
      throw badRequest(
        'invalid_deployment_id',
        `"${deploymentId.slice(0, 80)}" is not a deployment id.`,
        'Deployment ids are UUIDs, as listed by GET /api/projects/:id/deployments.',
      );
    const found = (await this.read(projectId)).find((d) => d.id === deploymentId);
    if (!found)
      throw notFound(
        'deployment_not_found',
        'This project has no deployment with that id.',
        'List the deployments with GET /api/projects/:id/deployments.',
      );
    return found;
  }

  async describe(projectId: string, deploymentId: string): Promise<Deployment> {
    return this.answer(projectId, await this.get(projectId, deploymentId));
  }

  private checked(input: DeploymentInput, others: StoredDeployment[]): Omit<StoredDeployment, 'id'> {
    const problem = deploymentProblem(input);
    if (problem)
      throw badRequest('invalid_deployment', problem.message, `Correct the field "${problem.field}".`, {
        field: problem.field,
      });
    const name = input.name.trim();
    if (others.some((d) => d.name.toLowerCase() === name.toLowerCase()))
      throw conflict(
        'deployment_name_taken',
        `This project already has a deployment named "${name}".`,
        'Choose another name.',
      );
    return {
      name,
      kind: input.kind,
      url: normaliseDeploymentUrl(input.url),
      ...(input.organization !== undefined ? { organization: input.organization } : {}),
      ...(input.deployment !== undefined ? { deployment: input.deployment } : {}),
      auth: input.auth,
      ...(input.headerName !== undefined ? { headerName: input.headerName } : {}),
      tokenFrom: input.tokenFrom ?? 'memory',
    };
  }

  create(projectId: string, input: DeploymentInput): Promise<Deployment> {
    return this.queue.run(projectId, async () => {
      const all = await this.read(projectId);
      if (all.length >= MAX_DEPLOYMENTS)
        throw conflict(
          'too_many_deployments',
          `A project can name at most ${MAX_DEPLOYMENTS} deployments.`,
          'Delete one you no longer use.',
        );
      const deployment: StoredDeployment = { id: randomUUID(), ...this.checked(input, all) };
      await this.write(projectId, [...all, deployment]);
      return this.answer(projectId, deployment);
    });
  }

  update(projectId: string, deploymentId: string, input: DeploymentInput): Promise<Deployment> {
    return this.queue.run(projectId, async () => {
      const current = await this.get(projectId, deploymentId);
      const all = await this.read(projectId);
      const next: StoredDeployment = {
        id: current.id,
        ...this.checked(
          input,
          all.filter((d) => d.id !== deploymentId),
        ),
      };
      await this.write(
        projectId,
        all.map((d) => (d.id === deploymentId ? next : d)),
      );
      // A token given for another URL (or another kind of auth) is never sent to the new one.
      if (next.url !== current.url || next.auth !== current.auth || next.kind !== current.kind)
        this.forgetToken(projectId, deploymentId);
      return this.answer(projectId, next);
    });
  }

  remove(projectId: string, deploymentId: string): Promise<void> {
    return this.queue.run(projectId, async () => {
      await this.get(projectId, deploymentId);
      const all = await this.read(projectId);
      await this.write(
        projectId,
        all.filter((d) => d.id !== deploymentId),
      );
      this.forgetToken(projectId, deploymentId);
    });
  }

  /** Keeps a token in memory for the deployment's current URL (refused when it takes no token from memory). */
  async setToken(projectId: string, deploymentId: string, token: string): Promise<Deployment> {
    const deployment = await this.get(projectId, deploymentId);
    if (deployment.auth === 'none')
      throw badRequest(
        'deployment_takes_no_token',
        `"${deployment.name}" is set up without auth, so it takes no token.`,
        'Change its auth to bearer, header or plus first.',
      );
    if (deployment.tokenFrom === 'env')
      throw badRequest(
        'deployment_token_from_env',
        `"${deployment.name}" takes its token from the ${DEPLOYMENT_ENV_TOKEN} environment variable of the server.`,
        'Set that variable where the designer runs, or change the deployment to keep a token in memory.',
      );
    const problem = tokenProblem(token);
    if (problem)
      throw badRequest(
        'invalid_token',
        `The token ${problem}.`,
        'Paste the token alone, without spaces or line breaks.',
      );
    this.tokens.set(`${projectId}/${deploymentId}`, { url: deployment.url, token });
    return this.answer(projectId, deployment);
  }

  forgetToken(projectId: string, deploymentId: string): void {
    this.tokens.delete(`${projectId}/${deploymentId}`);
  }
}
