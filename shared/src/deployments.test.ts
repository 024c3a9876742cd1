import { describe, expect, it } from 'vitest';
import {
  deploymentProblem,
  deploymentUrlProblem,
  normaliseDeploymentUrl,
  type DeploymentInput,
} from './deployments.js';

const oss = (extra: Partial<DeploymentInput> = {}): DeploymentInput => ({
  name: 'Prod',
  kind: 'oss',
  url: 'http://dagster.internal:3000',
  auth: 'none',
  ...extra,
});
const plus = (extra: Partial<DeploymentInput> = {}): DeploymentInput => ({
  name: 'Cloud',
  kind: 'plus',
  url: 'https://dagster.cloud/acme',
  organization: 'acme',
  deployment: 'prod',
  auth: 'plus',
  tokenFrom: 'env',
  ...extra,
});

describe('deploymentUrlProblem', () => {
  it.each([
    ['http://127.0.0.1:3000', null],
    ['https://dagster.example.com/base/', null],
    ['ftp://host', 'only http'],
    ['file:///etc/passwd', 'only http'],
    ['javascript:alert(1)', 'only http'],
    ['http://user:secret@host', 'credentials'],
    ['http://host/?x=1', 'query'],
    ['http://host/#a', 'fragment'],
    ['http://host/graphql', '/graphql'],
    ['not a url', 'not a valid URL'],
  ])('%s', (url, expected) => {
    const problem = deploymentUrlProblem(url);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toContain(expected);
  });
});

describe('deploymentProblem', () => {
  it.each<[string, DeploymentInput, string | null]>([
    ['plain OSS', oss(), null],
    ['OSS behind a bearer proxy', oss({ auth: 'bearer' }), null],
    ['OSS with a custom header', oss({ auth: 'header', headerName: 'X-Api-Key' }), null],
    ['Dagster+', plus(), null],
    ['blank name', oss({ name: '  ' }), 'name'],
    ['bad URL', oss({ url: 'ssh://host' }), 'url'],
    ['OSS with plus auth', oss({ auth: 'plus' }), 'auth'],
    ['OSS with an organization', oss({ organization: 'acme' }), 'organization'],
    ['Dagster+ with bearer', plus({ auth: 'bearer' }), 'auth'],
    ['Dagster+ without organization', plus({ organization: undefined }), 'organization'],
    ['Dagster+ with a bad deployment name', plus({ deployment: 'pr od' }), 'deployment'],
    ['header auth without a name', oss({ auth: 'header' }), 'headerName'],
    ['header auth with a bad name', oss({ auth: 'header', headerName: 'X Api' }), 'headerName'],
    ['header auth on Host', oss({ auth: 'header', headerName: 'Host' }), 'headerName'],
    ['header name without header auth', oss({ headerName: 'X-Api-Key' }), 'headerName'],
    ['no auth but a token from env', oss({ tokenFrom: 'env' }), 'tokenFrom'],
  ])('%s', (_label, input, field) => {
    expect(deploymentProblem(input)?.field ?? null).toBe(field);
  });
});

describe('normaliseDeploymentUrl', () => {
  it.each([
    ['HTTP://Dagster.Example.com:80/', 'http://dagster.example.com'],
    ['https://host:8443/base//', 'https://host:8443/base'],
  ])('%s → %s', (url, expected) => expect(normaliseDeploymentUrl(url)).toBe(expected));
});
