// A project's deployments: the team's own Dagster (OSS webserver or Dagster+) the designer connects to.
// The token is never part of a deployment: `tokenSet` only says whether one is at hand.
import { Type, type Static } from '@sinclair/typebox';

export const DEPLOYMENT_ENV_TOKEN = 'DAGSTER_CLOUD_API_TOKEN';
export const MAX_DEPLOYMENT_NAME_LENGTH = 100;
export const MAX_DEPLOYMENT_URL_LENGTH = 2000;
export const MAX_DEPLOYMENTS = 20;
export const MAX_TOKEN_LENGTH = 4096;
/** An HTTP header name (RFC 9110 token characters). */
export const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** Organization and deployment names of Dagster+ (letters, digits, "-" and "_"). */
export const PLUS_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
/** Headers the client sets itself or that would change how the request travels: never a token's header. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'cookie',
  'accept',
  'accept-encoding',
  'user-agent',
  'te',
  'upgrade',
  'expect',
  'keep-alive',
  'proxy-connection',
  'trailer',
]);

const DeploymentKind = Type.Union([Type.Literal('oss'), Type.Literal('plus')]);
const DeploymentAuth = Type.Union([
  Type.Literal('none'),
  Type.Literal('bearer'),
  Type.Literal('header'),
  Type.Literal('plus'),
]);
const TokenFrom = Type.Union([Type.Literal('memory'), Type.Literal('env')]);
const SingleLine = (max: number) =>
  Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });

const DeploymentFields = {
  name: SingleLine(MAX_DEPLOYMENT_NAME_LENGTH),
  kind: DeploymentKind,
  /** OSS: the webserver's base URL (GraphQL at <url>/graphql). Dagster+: the organization URL. */
  url: SingleLine(MAX_DEPLOYMENT_URL_LENGTH),
  /** Dagster+ organization (sent as Dagster-Cloud-Organization). */
  organization: Type.Optional(Type.String({ maxLength: 100 })),
  /** Dagster+ deployment name (sent as Dagster-Cloud-Deployment). */
  deployment: Type.Optional(Type.String({ maxLength: 100 })),
  auth: DeploymentAuth,
  /** The header that carries the token when auth is 'header'. */
  headerName: Type.Optional(Type.String({ maxLength: 100 })),
  tokenFrom: TokenFrom,
};

export const Deployment = Type.Object({
  id: Type.String(),
  ...DeploymentFields,
  /** Whether a token is at hand (in memory for this URL, or in the environment); never the token. */
  tokenSet: Type.Boolean(),
});

/** What a client sends to create or change a deployment. */
export const DeploymentInput = Type.Object(
  { ...DeploymentFields, tokenFrom: Type.Optional(TokenFrom) },
  { additionalProperties: false },
);

export const DeploymentTokenBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: MAX_TOKEN_LENGTH }) },
  { additionalProperties: false },
);

export const DeploymentLocation = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('loaded'), Type.Literal('loading'), Type.Literal('error')]),
  error: Type.Optional(Type.String()),
  /** The Python package the location loads (its module or package name, as the deployment tells). */
  package: Type.Optional(Type.String()),
});

export const ConnectionTest = Type.Object({
  reachable: Type.Boolean(),
  version: Type.Optional(Type.String()),
  locations: Type.Array(DeploymentLocation),
  /** The location that serves this project's package, when one does. */
  servesProject: Type.Optional(Type.String()),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
});

export type Deployment = Static<typeof Deployment>;
export type DeploymentInput = Static<typeof DeploymentInput>;
export type DeploymentTokenBody = Static<typeof DeploymentTokenBody>;
export type DeploymentLocation = Static<typeof DeploymentLocation>;
export type ConnectionTest = Static<typeof ConnectionTest>;

/** Why a URL cannot be a deployment's (http/https only, a host, no credentials, no query or fragment), or null. */
export function deploymentUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL (example: http://dagster.internal:3000)';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `uses "${parsed.protocol.replace(/:$/, '')}": only http:// and https:// are supported`;
  if (parsed.username || parsed.password)
    return 'contains credentials: give the token in the token field instead';
  if (!parsed.hostname) return 'has no host name';
  if (parsed.search || parsed.hash) return 'must not have a query ("?…") or a fragment ("#…")';
  if (/\/graphql\/?$/.test(parsed.pathname))
    return 'ends in /graphql: give the base URL, the designer adds /graphql itself';
  return null;
}

/** The URL as it is stored and as a token is bound to it: trailing slashes dropped, scheme and host lowercased. */
export function normaliseDeploymentUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
}

export interface DeploymentProblem {
  field: keyof DeploymentInput;
  message: string;
}

/** The first thing wrong with a deployment as given (fields and how they fit together), or null. */
export function deploymentProblem(input: DeploymentInput): DeploymentProblem | null {
  if (!input.name.trim()) return { field: 'name', message: 'The name must not be blank.' };
  const urlProblem = deploymentUrlProblem(input.url);
  if (urlProblem) return { field: 'url', message: `The URL ${urlProblem}.` };
  if (input.kind === 'plus') {
    if (input.auth !== 'plus')
      return {
        field: 'auth',
        message: 'A Dagster+ deployment authenticates with a Dagster+ API token (auth "plus").',
      };
    if (!input.organization || !PLUS_NAME_PATTERN.test(input.organization))
      return {
        field: 'organization',
        message: 'A Dagster+ deployment needs its organization name (letters, digits, "-" and "_").',
      };
    if (!input.deployment || !PLUS_NAME_PATTERN.test(input.deployment))
      return {
        field: 'deployment',
        message:
          'A Dagster+ deployment needs the deployment name (for example "prod"; letters, digits, "-", "_").',
      };
  } else {
    if (input.auth === 'plus')
      return {
        field: 'auth',
        message: 'Auth "plus" is for Dagster+ deployments; use none, bearer or header.',
      };
    if (input.organization !== undefined || input.deployment !== undefined)
      return {
        field: input.organization !== undefined ? 'organization' : 'deployment',
        message: 'Organization and deployment names belong to Dagster+ deployments only.',
      };
  }
  if (input.auth === 'header') {
    if (!input.headerName || !HEADER_NAME_PATTERN.test(input.headerName))
      return {
        field: 'headerName',
        message: 'Auth "header" needs the header name that carries the token (for example X-Api-Key).',
      };
    if (RESERVED_HEADERS.has(input.headerName.toLowerCase()))
      return {
        field: 'headerName',
        message: `"${input.headerName}" is set by the designer itself and cannot carry the token.`,
      };
  } else if (input.headerName !== undefined) {
    return { field: 'headerName', message: 'A header name is only used with auth "header".' };
  }
  if (input.auth === 'none' && input.tokenFrom === 'env')
    return {
      field: 'tokenFrom',
      message: 'A deployment without auth takes no token (from the environment or otherwise).',
    };
  return null;
}
