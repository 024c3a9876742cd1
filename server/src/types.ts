// The services every route reaches through `app`, created once in app.ts.
import type { Config } from './config.js';
import type { CatalogEnvironment } from './services/catalog-environment.js';
import type { CatalogService } from './services/catalog.js';
import type { DagsterCli } from './services/dagster-cli.js';
import type { EnvStore } from './services/env-store.js';
import type { InspectorService } from './services/inspector.js';
import type { GitPublisher } from './services/git/publisher.js';
import type { ProjectHistory } from './services/history/store.js';
import type { Importer } from './services/importer.js';
import type { DagsterInstanceService } from './services/dagster-instance.js';
import type { DeploymentStore } from './services/deployments/store.js';
import type { LayoutService } from './services/layout.js';
import type { RunService } from './services/runs.js';
import type { SyncService } from './services/sync/service.js';
import type { PreviewService } from './services/preview.js';
import type { ProjectStore } from './services/project-store.js';
import type { Toolchain } from './services/toolchain.js';
import type { WorkspaceService } from './services/workspace.js';

export interface Services {
  config: Config;
  toolchain: Toolchain;
  cli: DagsterCli;
  projects: ProjectStore;
  workspaces: WorkspaceService;
  catalog: CatalogService;
  env: EnvStore;
  catalogEnv: CatalogEnvironment;
  inspector: InspectorService;
  sync: SyncService;
  preview: PreviewService;
  git: GitPublisher;
  importer: Importer;
  instances: DagsterInstanceService;
  runs: RunService;
  /** The project's deployments (team's Dagster OSS / Dagster+) and their in-memory tokens. */
  deployments: DeploymentStore;
  /** The canvas's ELK layouts, in a worker thread warmed up at start (main.ts). */
  layout: LayoutService;
  /** Set by routes/api/projects/history.ts. */
  history?: ProjectHistory;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}
