// `npm test`/`npm run bench` set-up step: builds the shared catalog environment before tests need it.
import { loadConfig } from './config.js';
import { CatalogEnvironment } from './services/catalog-environment.js';
import { DagsterCli } from './services/dagster-cli.js';
import { Toolchain } from './services/toolchain.js';

const config = loadConfig();
const toolchain = new Toolchain(config.repoRoot, config.toolchainDir);
const env = new CatalogEnvironment(toolchain, new DagsterCli(toolchain));
if (env.state().state === 'ready') {
  console.log('[setup] catalog environment is up to date');
} else {
  try {
    await env.prepare();
  } catch (error) {
    console.error(`[setup] ${(error as Error).message}`);
    process.exit(1);
  }
}
