// Types of scripts/oss-deployment-setup.mjs for the test harness (server/test/support/oss-deployment.ts).
export function findPostgresBin(): string | null;
export function ensurePostgres(log?: (line: string) => void): void;
export function deploymentEnvPaths(toolchainDir?: string): {
  dir: string;
  venv: string;
  bin: string;
  marker: string;
};
export function deploymentRequirements(pins: {
  deployment: string[];
  integrations: Record<string, string[]>;
}): string[];
export function deploymentEnvReady(toolchainDir?: string): boolean;
export function ensureDeploymentEnv(toolchainDir?: string, log?: (line: string) => void): void;
