// Builds the Fastify app from plugins and routes; one instance of each service, decorated on `app`.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.js';
import errorHandler, { clientErrorHandler, frameworkErrors } from './plugins/error-handler.js';
import jsonBody from './plugins/json-body.js';
import security from './plugins/security.js';
import projectLoader from './plugins/project-loader.js';
import swagger from './plugins/swagger.js';
import webApp from './plugins/web-app.js';
import components from './routes/api/components/index.js';
import health from './routes/api/health/index.js';
import projects from './routes/api/projects/index.js';
import { CatalogEnvironment } from './services/catalog-environment.js';
import { CatalogService } from './services/catalog.js';
import { DagsterCli } from './services/dagster-cli.js';
import { ProjectStore } from './services/project-store.js';
import { Toolchain } from './services/toolchain.js';
import { WorkspaceService } from './services/workspace.js';
import { InspectorService } from './services/inspector.js';
import { SyncService } from './services/sync/service.js';
import { PreviewService } from './services/preview.js';
import syncRoutes from './routes/api/projects/sync.js';
import filesRoutes from './routes/api/projects/files.js';
import envRoutes from './routes/api/projects/env.js';
import templateRoutes from './routes/api/projects/templates.js';
import automationRoutes from './routes/api/projects/automation.js';
import assetCheckRoutes from './routes/api/projects/asset-checks.js';
import { EnvStore } from './services/env-store.js';
import exportRoutes from './routes/api/projects/export.js';
import gitRoutes from './routes/api/projects/git.js';
import pullRoutes from './routes/api/projects/pull.js';
import importRoutes from './routes/api/projects/import.js';
import { Importer } from './services/importer.js';
import { DagsterInstanceService } from './services/dagster-instance.js';
import { RunService } from './services/runs.js';
import runsRoutes from './routes/api/runs/index.js';
import layoutRoutes from './routes/api/layout.js';
import { LayoutService } from './services/layout.js';
import { GitPublisher } from './services/git/publisher.js';
import { DeploymentStore } from './services/deployments/store.js';
import deploymentRoutes from './routes/api/projects/deployments.js';
import deploymentOpsRoutes from './routes/api/projects/deployments-ops.js';
import type { Services } from './types.js';
import path from 'node:path';

export const BODY_LIMIT = 20 * 1024 * 1024;
export const ROUTER_MAX_PARAM_LENGTH = 1024;

export async function buildApp(
  overrides: Partial<Config> = {},
  logger: boolean | object = false,
): Promise<FastifyInstance> {
  const config = loadConfig(process.env, overrides);
  const app = Fastify({
    // Every logger, the server's and a test's, logs requests without credentials: no Authorization or
    // Cookie header, and no `?token=` (the DESIGNER_TOKEN of the first page load) in the URL.
    logger:
      logger === false
        ? false
        : {
            ...(logger === true ? { level: config.logLevel } : logger),
            serializers: {
              req: (request: { method: string; url: string; hostname?: string }) => ({
                method: request.method,
                url: request.url.replace(/([?&]token=)[^&#]*/g, '$1***'),
                hostname: request.hostname,
              }),
            },
          },
    bodyLimit: BODY_LIMIT,
    // URL segments carry names (ids, env var names, component types): each route's params schema holds the
    // product's own limit for its name (a 400 naming the parameter), so the router's limit is only a backstop
    // well above them (Fastify's default of 100 cut 110-character env var names off). Router errors (bad
    // URL encoding, over-long parameters) get the API's one error shape too.
    routerOptions: { maxParamLength: ROUTER_MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler,
    // Unknown fields are refused, not silently dropped; query strings are coerced ("?limit=5").
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const toolchain = new Toolchain(config.repoRoot, config.toolchainDir);
  const cli = new DagsterCli(toolchain);
  const projectStore = new ProjectStore(config.dataDir);
  await projectStore.init();
  const catalog = new CatalogService(cli, path.join(config.dataDir, '.cache'));
  const env = new EnvStore();
  const envOf = (root: string) => env.values(root);
  const inspector = new InspectorService(cli, {
    envOf,
    idleMs: config.previewIdleSeconds * 1000,
    warn: (err, message) => app.log.warn({ err }, message),
  });
  const services = {
    config,
    toolchain,
    cli,
    projects: projectStore,
    workspaces: new WorkspaceService(cli, (id) => projectStore.workspaceOf(id)),
    catalog,
    env,
    catalogEnv: new CatalogEnvironment(toolchain, cli),
    inspector,
    sync: new SyncService(cli, toolchain, catalog, inspector, envOf),
    git: new GitPublisher(path.join(config.dataDir, '.git-work')),
    deployments: new DeploymentStore(config.dataDir),
    layout: new LayoutService(),
  } as Services;
  services.preview = new PreviewService(services.sync, inspector, env);
  services.importer = new Importer(cli, services.git, services.sync, inspector, projectStore);
  services.instances = new DagsterInstanceService(cli, envOf);
  // Instances a crashed designer left running on this data folder (pid files in the workspaces) stop first.
  await services.instances.stopLeftovers(config.dataDir);
  services.runs = new RunService(services.instances, envOf, cli);
  // A sync that changed files makes a running instance reload its code location; an edit keeps the project's
  // warm preview process (or warms it again when it was released for being idle).
  services.sync.onChanged = (projectId) => {
    inspector.warm(projectStore.workspaceOf(projectId));
    void services.instances
      .reload(projectId)
      .catch((error: unknown) => app.log.warn({ err: error }, 'code location reload failed'));
  };
  app.decorate('services', services);
  // No orphan Python processes once the server stops.
  app.addHook('onClose', async () => {
    services.sync.stopTimers();
    inspector.stop();
    services.runs.stopAll();
    await services.instances.stopAll();
    await services.layout.close();
  });

  await app.register(errorHandler);
  await app.register(jsonBody);
  await app.register(projectLoader);
  await app.register(security, { config });
  await app.register(swagger);
  await app.register(
    async (api) => {
      await api.register(health);
      await api.register(components);
      await api.register(projects);
      await api.register(syncRoutes);
      await api.register(filesRoutes);
      await api.register(envRoutes);
      await api.register(templateRoutes);
      await api.register(automationRoutes);
      await api.register(assetCheckRoutes);
      await api.register(exportRoutes);
      await api.register(gitRoutes);
      await api.register(pullRoutes);
      await api.register(deploymentRoutes);
      await api.register(deploymentOpsRoutes);
      await api.register(importRoutes);
      await api.register(runsRoutes);
      await api.register(layoutRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(webApp, { root: config.webDist });
  return app;
}
