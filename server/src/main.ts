// Entry point: serve the designer on 127.0.0.1:4780 (DESIGNER_HOST / DESIGNER_PORT to change).
import { buildApp } from './app.js';

const app = await buildApp({}, true);
const { config, catalogEnv } = app.services;

const shutdown = async (signal: string) => {
  app.log.info(`${signal}: shutting down`);
  await app.close();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.host, port: config.port });
app.log.info(
  `Dagster Designer at http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
);
// ELK's code is optimised before anyone opens a project: the first Tidy up of a large graph is as quick as the next.
void app.services.layout.warm();
if (config.prepareCatalog) {
  catalogEnv.prepare().then(
    () => app.log.info('component catalog environment ready'),
    (error: unknown) => app.log.error({ err: error }, 'component catalog environment failed'),
  );
}
