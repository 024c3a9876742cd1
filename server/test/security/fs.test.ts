// Bad-input catalogue, file-system side (issue 14): traversal in every id and path, characters no file name may
// hold, links out of the workspace, special files, hostile archives and imports, oversize bodies, If-Match races.
// Every case must answer a 4xx with the API's error shape and a message a user can act on, leave the data folder
// and a sentinel folder outside it byte for byte as they were, and leave the server healthy.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectFile } from '@designer/shared';
import { makeTestApp, scriptNode, type TestApp } from '../helpers.js';

/** sha256 of a tree as it is on disk: names, kinds, modes, file bytes and link targets; links are not followed. */
export function treeHash(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      const stat = lstatSync(full);
      // An empty staging folder is where an import unpacks; it holds nothing once the import is over.
      if (rel === '.staging' && stat.isDirectory() && readdirSync(full).length === 0) continue;
      hash.update(`${rel}\0${stat.mode.toString(8)}\0`);
      if (stat.isSymbolicLink()) hash.update(`link:${readlinkSync(full)}\0`);
      else if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) hash.update(readFileSync(full)).update('\0');
    }
  };
  walk(root);
  return hash.digest('hex');
}

/** A ZIP built by Python's zipfile, with the given entries; `damage` then lies about sizes or flips a byte. */
function makeZip(
  entries: Array<{ name: string; text?: string; link?: string; size?: number }>,
  damage?: 'crc' | 'size',
): Buffer {
  const script = `
import io, json, sys, zipfile
entries, damage = json.loads(sys.argv[1]), sys.argv[2]
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED if damage else zipfile.ZIP_DEFLATED) as z:
    for e in entries:
        info = zipfile.ZipInfo(e["name"])
        if e.get("link"):
            info.external_attr = (0o120777 << 16)
            z.writestr(info, e["link"])
        elif e.get("size"):
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, b"\\0" * e["size"])
        else:
            z.writestr(info, e.get("text", "x"))
data = bytearray(buf.getvalue())
if damage == "crc":
    i = data.index(b"PAYLOAD")
    data[i] ^= 0xFF
if damage == "size":
    # The central directory says the entry is 3 bytes long: a lying size.
    c = data.index(b"PK\\x01\\x02")
    data[c + 24:c + 28] = (3).to_bytes(4, "little")
sys.stdout.buffer.write(bytes(data))
`;
  return execFileSync('python3', ['-c', script, JSON.stringify(entries), damage ?? '']);
}

let t: TestApp;
let project: ProjectFile;
let empty: ProjectFile;
let root: string;
let outside: string;
let scratch: string;
const PYPROJECT =
  '[project]\nname = "shop"\n\n[tool.dg]\ndirectory_type = "project"\n\n[tool.dg.project]\nroot_module = "shop"\n';

beforeAll(async () => {
  t = await makeTestApp();
  const create = async (name: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name } })).json() as ProjectFile;
  project = await create('Shop');
  empty = await create('Empty');
  // A workspace laid out like create-dagster's, by hand (no toolchain needed for these routes).
  root = t.app.services.projects.workspaceOf(project.id);
  mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
  writeFileSync(path.join(root, '.venv', 'bin', 'dg'), '');
  writeFileSync(path.join(root, 'pyproject.toml'), PYPROJECT);
  mkdirSync(path.join(root, 'src', 'shop', 'defs', 'extract'), { recursive: true });
  writeFileSync(
    path.join(root, 'src', 'shop', 'defs', 'extract', 'defs.yaml'),
    'type: dagster.PythonScriptComponent\n',
  );
  writeFileSync(path.join(root, 'src', 'shop', 'defs', 'extract', 'extract.py'), 'print("v1")\n');
  mkdirSync(path.join(root, '.git'));
  writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
  // The sentinel outside the data folder, and links and a pipe leading to it or nowhere.
  outside = mkdtempSync(path.join(os.tmpdir(), 'designer-outside-'));
  writeFileSync(path.join(outside, 'victim.py'), 'untouched\n');
  mkdirSync(path.join(outside, 'folder'));
  writeFileSync(path.join(outside, 'folder', 'defs.yaml'), 'type: outside.Component\n');
  symlinkSync(outside, path.join(root, 'link'));
  symlinkSync(path.join(outside, 'victim.py'), path.join(root, 'filelink.py'));
  symlinkSync(path.join(outside, 'not-there.py'), path.join(root, 'dangling.py'));
  execFileSync('mkfifo', [path.join(root, 'pipe.py')]);
  const saved = await t.app.inject({
    method: 'PUT',
    url: `/api/projects/${project.id}`,
    payload: {
      version: project.version,
      graph: { nodes: [scriptNode('n1', 'extract', 'raw/orders')], edges: [] },
    },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  t.app.services.sync.stopTimers();
  t.app.services.history!.stopTimers(); // no history write in the background while cases compare the data folder
  scratch = mkdtempSync(path.join(os.tmpdir(), 'designer-import-src-'));
}, 60_000);

afterAll(async () => {
  t.app.services.sync.stopTimers();
  await t.close();
  rmSync(outside, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const files = (p: string) => `/api/projects/${project.id}/files/${p}`;
const put =
  (p: string, content = 'pwned = True\n', ifMatch = '*') =>
  () =>
    t.app.inject({ method: 'PUT', url: files(p), headers: { 'if-match': ifMatch }, payload: { content } });
const get = (p: string) => () => t.app.inject({ url: files(p) });
const importFolder =
  (folder: string, id = () => empty.id) =>
  () =>
    t.app.inject({
      method: 'POST',
      url: `/api/projects/${id()}/import`,
      payload: { source: 'folder', path: folder },
    });
const importZip = (zip: () => Buffer) => () =>
  t.app.inject({
    method: 'POST',
    url: `/api/projects/${empty.id}/import.zip`,
    headers: { 'content-type': 'application/zip' },
    payload: zip(),
  });

/** A folder in the scratch area with a pyproject.toml (not a dg project unless `dg`), plus what `extra` adds. */
function sourceFolder(name: string, extra: (dir: string) => void, dg = false): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'pyproject.toml'), dg ? PYPROJECT : '[project]\nname = "x"\n');
  extra(dir);
  return dir;
}

interface Case {
  name: string;
  request: () => Promise<LightMyRequestResponse>;
  status: number;
  code?: string;
  /** Changes made to the workspace before the request (and undone after it): part of the case, not of the hash. */
  setup?: () => void;
  teardown?: () => void;
}

const cases: Case[] = [
  // Files API: reads.
  {
    name: 'GET file ../../etc/passwd',
    request: get('..%2F..%2Fetc%2Fpasswd'),
    status: 400,
    code: 'invalid_path',
  },
  { name: 'GET file /etc/passwd', request: get('%2Fetc%2Fpasswd'), status: 400, code: 'invalid_path' },
  { name: 'GET file src/../../x', request: get('src%2F..%2F..%2Fx'), status: 400, code: 'invalid_path' },
  {
    name: 'GET file with backslashes a\\..\\..\\x',
    request: get('a%5C..%5C..%5Cx.txt'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'GET file through a folder link out',
    request: get('link/victim.py'),
    status: 400,
    code: 'link_outside_project',
  },
  {
    name: 'GET file that is a link out',
    request: get('filelink.py'),
    status: 400,
    code: 'link_outside_project',
  },
  { name: 'GET .env', request: get('.env'), status: 400, code: 'invalid_path' },
  { name: 'GET .git/config', request: get('.git/config'), status: 400, code: 'invalid_path' },
  { name: 'GET a FIFO (never opened)', request: get('pipe.py'), status: 400, code: 'not_a_file' },
  {
    name: 'GET a temp file name',
    request: get('.x.py.0123456789ab.designer.tmp'),
    status: 400,
    code: 'invalid_path',
  },
  // Files API: writes.
  {
    name: 'PUT a\\..\\..\\x.txt (zip-slip in the export)',
    request: put('a%5C..%5C..%5Cx.txt'),
    status: 400,
    code: 'invalid_path',
  },
  { name: 'PUT c:\\x.py', request: put('c%3A%5Cx.py'), status: 400, code: 'invalid_path' },
  { name: 'PUT a name with ":"', request: put('src/a%3Ab.py'), status: 400, code: 'invalid_path' },
  { name: 'PUT a name with NUL', request: put('src/x%00.py'), status: 400, code: 'invalid_path' },
  {
    name: 'PUT a name with a control character',
    request: put('src/x%01y.py'),
    status: 400,
    code: 'invalid_path',
  },
  { name: 'PUT a name with a newline', request: put('src/x%0Ay.py'), status: 400, code: 'invalid_path' },
  { name: 'PUT a name with DEL', request: put('src/x%7F.py'), status: 400, code: 'invalid_path' },
  { name: 'PUT -rf (leading dash)', request: put('-rf'), status: 400, code: 'invalid_path' },
  {
    name: 'PUT src/-x.py (leading dash inside)',
    request: put('src/-x.py'),
    status: 400,
    code: 'invalid_path',
  },
  { name: 'PUT ../escape.py', request: put('..%2Fescape.py'), status: 400, code: 'invalid_path' },
  {
    name: 'PUT src/../../../x.py',
    request: put('src%2F..%2F..%2F..%2Fx.py'),
    status: 400,
    code: 'invalid_path',
  },
  { name: 'PUT /etc/x (absolute)', request: put('%2Fetc%2Fx'), status: 400, code: 'invalid_path' },
  { name: 'PUT src//x.py (empty part)', request: put('src%2F%2Fx.py'), status: 400, code: 'invalid_path' },
  { name: 'PUT src/./x.py', request: put('src%2F.%2Fx.py'), status: 400, code: 'invalid_path' },
  {
    name: 'PUT a new file through a folder link out',
    request: put('link/new.py'),
    status: 400,
    code: 'link_outside_project',
  },
  {
    name: 'PUT over a file link out',
    request: put('filelink.py'),
    status: 400,
    code: 'link_outside_project',
  },
  {
    name: 'PUT through a dangling link',
    request: put('dangling.py'),
    status: 400,
    code: 'link_outside_project',
  },
  { name: 'PUT .venv/bin/dg', request: put('.venv/bin/dg'), status: 400, code: 'invalid_path' },
  {
    name: 'PUT .git/hooks/pre-commit',
    request: put('.git/hooks/pre-commit'),
    status: 400,
    code: 'invalid_path',
  },
  { name: 'PUT .env', request: put('.env'), status: 400, code: 'invalid_path' },
  {
    name: 'PUT .designer/state.json',
    request: put('.designer/state.json'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'PUT a temp file name',
    request: put('src/.a.py.0123456789ab.designer.tmp'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'PUT onto a FIFO (never opened, no hang)',
    request: put('pipe.py'),
    status: 400,
    code: 'not_a_file',
  },
  {
    name: 'PUT a body over 4 MiB',
    request: put('src/big.py', 'x'.repeat(5 * 1024 * 1024)),
    status: 413,
    code: 'body_too_large',
  },
  {
    name: 'PUT content over 1 MiB',
    request: put('src/big.py', 'x'.repeat(1024 * 1024 + 1)),
    status: 413,
    code: 'file_too_large',
  },
  { name: 'PUT content with NUL', request: put('src/bin.py', 'a\0b'), status: 415, code: 'binary_file' },
  {
    name: 'PUT an existing file without If-Match',
    request: () =>
      t.app.inject({
        method: 'PUT',
        url: files('src/shop/defs/extract/extract.py'),
        payload: { content: 'x = 1\n' },
      }),
    status: 428,
    code: 'if_match_required',
  },
  {
    name: 'PUT with a stale If-Match',
    request: put('src/shop/defs/extract/extract.py', 'x = 1\n', '"0000"'),
    status: 409,
    code: 'file_changed',
  },
  {
    name: "PUT a node's managed defs.yaml",
    request: put('src/shop/defs/extract/defs.yaml'),
    status: 409,
    code: 'managed_file',
  },
  // Project ids in every route family.
  {
    name: 'GET project ../../etc',
    request: () => t.app.inject({ url: '/api/projects/..%2F..%2Fetc' }),
    status: 400,
    code: 'invalid_project_id',
  },
  {
    name: 'DELETE project ../x',
    request: () => t.app.inject({ method: 'DELETE', url: '/api/projects/..%2Fx' }),
    status: 400,
    code: 'invalid_project_id',
  },
  {
    name: 'DELETE project with NUL',
    request: () => t.app.inject({ method: 'DELETE', url: '/api/projects/a%00b' }),
    status: 400,
    code: 'invalid_project_id',
  },
  {
    name: 'files of project ..',
    request: () => t.app.inject({ url: '/api/projects/%2E%2E%2F%2E%2E/files' }),
    status: 400,
    code: 'invalid_project_id',
  },
  {
    name: 'PUT file of project ../<id>',
    request: () =>
      t.app.inject({
        method: 'PUT',
        url: `/api/projects/..%2F${project.id}/files/x.py`,
        payload: { content: '' },
      }),
    status: 400,
    code: 'invalid_project_id',
  },
  {
    name: 'import into project id ../../tmp',
    request: importFolder('/tmp', () => '..%2F..%2Ftmp'),
    status: 400,
    code: 'invalid_project_id',
  },
  // Links out of the workspace met by the server's own writes.
  {
    name: 'sync with a node folder that is a link out',
    setup: () => {
      const dir = path.join(root, 'src', 'shop', 'defs', 'extract');
      execFileSync('mv', [dir, path.join(scratch, 'extract-aside')]);
      symlinkSync(path.join(outside, 'folder'), dir);
    },
    teardown: () => {
      const dir = path.join(root, 'src', 'shop', 'defs', 'extract');
      unlinkSync(dir);
      execFileSync('mv', [path.join(scratch, 'extract-aside'), dir]);
    },
    request: () => t.app.inject({ method: 'POST', url: `/api/projects/${project.id}/sync` }),
    status: 400,
    code: 'link_outside_project',
  },
  {
    name: 'set an env value when .env is a link out',
    setup: () => symlinkSync(path.join(outside, 'victim.py'), path.join(root, '.env')),
    teardown: () => unlinkSync(path.join(root, '.env')),
    request: () =>
      t.app.inject({
        method: 'PUT',
        url: `/api/projects/${project.id}/env/SHOP_TOKEN`,
        payload: { value: 'secret-value' },
      }),
    status: 400,
    code: 'link_outside_project',
  },
  {
    name: 'env name ../../x',
    request: () =>
      t.app.inject({
        method: 'PUT',
        url: `/api/projects/${project.id}/env/..%2F..%2Fx`,
        payload: { value: 'v' },
      }),
    status: 400,
    code: 'invalid_env_name',
  },
  // Folder imports.
  {
    name: 'import a relative folder path',
    request: importFolder('some/folder'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder path with ..',
    request: importFolder('/tmp/../etc'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder path with NUL',
    request: importFolder('/tmp/a\0b'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder path with a control character',
    request: importFolder('/tmp/a\u0007b'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder path with a backslash',
    request: importFolder('/tmp/a\\..\\b'),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder that does not exist',
    request: importFolder('/nonexistent/designer/folder'),
    status: 400,
    code: 'folder_not_found',
  },
  {
    name: 'import a file, not a folder',
    request: () => importFolder(path.join(outside, 'victim.py'))(),
    status: 400,
    code: 'not_a_folder',
  },
  {
    name: 'import a folder inside the data folder',
    request: () => importFolder(root)(),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder that contains the data folder',
    request: () => importFolder(path.dirname(t.dataDir))(),
    status: 400,
    code: 'invalid_path',
  },
  {
    name: 'import a folder with no pyproject.toml',
    request: () => importFolder(outside)(),
    status: 400,
    code: 'not_a_dagster_project',
  },
  {
    name: 'import a folder holding a FIFO (copied past, never opened)',
    request: () =>
      importFolder(sourceFolder('fifo', (d) => execFileSync('mkfifo', [path.join(d, 'pipe')])))(),
    status: 400,
    code: 'not_a_dagster_project',
  },
  {
    name: 'import a folder with links out of it',
    request: () =>
      importFolder(
        sourceFolder('links', (d) => {
          symlinkSync(outside, path.join(d, 'out'));
          symlinkSync('/etc/passwd', path.join(d, 'passwd'));
        }),
      )(),
    status: 400,
    code: 'not_a_dagster_project',
  },
  {
    name: 'import into a project that already has components',
    request: () =>
      importFolder(
        sourceFolder('ok', () => undefined, true),
        () => project.id,
      )(),
    status: 409,
    code: 'project_not_empty',
  },
  {
    name: 'import a project whose designer file is not JSON',
    request: () =>
      importFolder(
        sourceFolder(
          'bad-designer-file',
          (d) => writeFileSync(path.join(d, 'dagster-designer.project.json'), '{"graph": ['),
          true,
        ),
      )(),
    status: 400,
    code: 'invalid_designer_file',
  },
  {
    name: 'import a project whose dependencies do not resolve',
    request: () =>
      importFolder(
        sourceFolder('bad-deps', (d) =>
          writeFileSync(
            path.join(d, 'pyproject.toml'),
            '[project]\nname = "shop"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n' +
              'dependencies = ["missing @ file:///nonexistent/designer/missing"]\n\n' +
              '[tool.dg]\ndirectory_type = "project"\n\n[tool.dg.project]\nroot_module = "shop"\n',
          ),
        ),
      )(),
    status: 422,
    code: 'import_environment_failed',
  },
  // ZIP imports.
  {
    name: 'ZIP that is not a ZIP',
    request: importZip(() => Buffer.from('not a zip at all')),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP entry ../x (zip-slip)',
    request: importZip(() => makeZip([{ name: '../x.py' }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP entry a\\..\\..\\x',
    request: importZip(() => makeZip([{ name: 'a\\..\\..\\x.py' }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP entry /etc/x (absolute)',
    request: importZip(() => makeZip([{ name: '/tmp/x.py' }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP entry c:x',
    request: importZip(() => makeZip([{ name: 'c:x.py' }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP entry with a control character',
    request: importZip(() => makeZip([{ name: 'a\u0001.py' }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP with a link out',
    request: importZip(() =>
      makeZip([
        { name: 'p/pyproject.toml', text: PYPROJECT },
        { name: 'p/out', link: '/etc/passwd' },
      ]),
    ),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP bomb (200 MiB of zeros)',
    request: importZip(() => makeZip([{ name: 'bomb.bin', size: 200 * 1024 * 1024 }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP whose entry fails its CRC',
    request: importZip(() => makeZip([{ name: 'p/pyproject.toml', text: `PAYLOAD${PYPROJECT}` }], 'crc')),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP whose entry sizes lie',
    request: importZip(() => makeZip([{ name: 'p/pyproject.toml', text: `PAYLOAD${PYPROJECT}` }], 'size')),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP with colliding entries (a file and a folder of one name)',
    request: importZip(() => makeZip([{ name: 'p/a' }, { name: 'p/a/b.py' }])),
    status: 400,
    code: 'invalid_zip',
  },
  {
    name: 'ZIP sent as JSON',
    request: () =>
      t.app.inject({
        method: 'POST',
        url: `/api/projects/${empty.id}/import.zip`,
        payload: { source: 'zip' },
      }),
    status: 400,
    code: 'invalid_import',
  },
  // Git imports.
  {
    name: 'Git repository with links out and no Dagster project',
    request: () => {
      const repo = sourceFolder('repo', (d) => {
        symlinkSync(outside, path.join(d, 'out'));
        symlinkSync(path.join(outside, 'victim.py'), path.join(d, 'victim.py'));
      });
      rmSync(path.join(repo, 'pyproject.toml'));
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'links');
      return t.app.inject({
        method: 'POST',
        url: `/api/projects/${empty.id}/import`,
        payload: { source: 'git', remote: repo },
      });
    },
    status: 400,
    code: 'not_a_dagster_project',
  },
  {
    name: 'Git repository that does not exist',
    request: () =>
      t.app.inject({
        method: 'POST',
        url: `/api/projects/${empty.id}/import`,
        payload: { source: 'git', remote: path.join(scratch, 'no-such-repo') },
      }),
    status: 422,
    code: 'git_import_failed',
  },
  // Races with the workspace's creation.
  {
    name: 'import while the workspace is being created',
    setup: () => {
      void t.app.services.workspaces.exclusive(
        empty.id,
        'Scaffolding the project with create-dagster',
        () => creation,
      );
    },
    teardown: () => release(),
    request: () => importFolder(sourceFolder('during', () => undefined, true))(),
    status: 409,
    code: 'workspace_creating',
  },
  {
    name: 'delete while the workspace is being created',
    setup: () => {
      void t.app.services.workspaces.exclusive(
        empty.id,
        'Scaffolding the project with create-dagster',
        () => creation,
      );
    },
    teardown: () => release(),
    request: () => t.app.inject({ method: 'DELETE', url: `/api/projects/${empty.id}` }),
    status: 409,
    code: 'workspace_creating',
  },
];

/** A workspace creation that lasts until `release()`. */
let release: () => void = () => undefined;
let creation: Promise<void> = Promise.resolve();
const holdCreation = () => {
  creation = new Promise<void>((resolve) => (release = resolve));
};

describe('bad-input catalogue: file system', () => {
  it('holds at least 45 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it.each(cases)('$name → $status', async (c) => {
    holdCreation();
    c.setup?.();
    const data = treeHash(t.dataDir);
    const sentinel = treeHash(outside);
    let res: LightMyRequestResponse;
    let dataAfter: string;
    let sentinelAfter: string;
    try {
      res = await c.request();
    } finally {
      dataAfter = treeHash(t.dataDir);
      sentinelAfter = treeHash(outside);
      c.teardown?.();
      await t.app.services.workspaces.settle();
    }
    expect(res.statusCode, res.body).toBe(c.status);
    const body = res.json() as { error: { code: string; message: string; hint?: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(typeof body.error.code).toBe('string');
    if (c.code) expect(body.error.code, res.body).toBe(c.code);
    // A message a user can act on: a sentence, with no stack trace, no internal error.
    expect(body.error.message.length, res.body).toBeGreaterThan(15);
    expect(body.error.message).not.toMatch(/\n\s+at |TypeError|ENOENT|EACCES|undefined/);
    if (body.error.hint !== undefined) expect(body.error.hint.length).toBeGreaterThan(10);
    expect(dataAfter, 'the data folder changed').toBe(data);
    expect(sentinelAfter, 'something outside the data folder changed').toBe(sentinel);
    const health = await t.app.inject({ url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});

describe('If-Match race', () => {
  it('200 concurrent writes with the same If-Match: exactly one 200, the rest 409, the file is the winner', async () => {
    const target = 'src/shop/defs/extract/extract.py';
    const { hash } = (await t.app.inject({ url: files(target) })).json() as { hash: string };
    const sentinel = treeHash(outside);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => put(target, `print(${i})\n`, `"${hash}"`)()),
    );
    const ok = answers.filter((a) => a.statusCode === 200);
    expect(ok).toHaveLength(1);
    expect(answers.filter((a) => a.statusCode === 409)).toHaveLength(199);
    for (const a of answers.filter((x) => x.statusCode === 409))
      expect(a.json().error).toMatchObject({ code: 'file_changed' });
    const winner = (ok[0]!.json() as { hash: string }).hash;
    const now = (await t.app.inject({ url: files(target) })).json() as { hash: string; content: string };
    expect(now.hash).toBe(winner);
    expect(readdirSync(path.join(root, 'src/shop/defs/extract')).filter((f) => f.endsWith('.tmp'))).toEqual(
      [],
    );
    expect(treeHash(outside)).toBe(sentinel);
    expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });
});

describe('what a crash leaves, and what a listing shows', () => {
  it('temp files and names no request could address are never listed; start-up sweeps temp files', async () => {
    const dir = path.join(root, 'src', 'shop', 'defs', 'extract');
    writeFileSync(path.join(dir, '.extract.py.0123456789ab.designer.tmp'), 'half');
    writeFileSync(path.join(dir, '.extract.py.ba9876543210.tmp'), 'half, older naming');
    writeFileSync(path.join(dir, 'a\\..\\..\\x.txt'), 'a name with backslashes');
    const listed = (await t.app.inject({ url: `/api/projects/${project.id}/files` })).json() as Array<{
      path: string;
    }>;
    expect(listed.map((f) => f.path)).toContain('src/shop/defs/extract/extract.py');
    expect(listed.filter((f) => /\.tmp$|\\/.test(f.path))).toEqual([]);
    rmSync(path.join(dir, 'a\\..\\..\\x.txt'));
    // A fresh start on the same data folder (what a restart after kill -9 does) sweeps them.
    await t.app.services.projects.init();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('start-up sweeps nothing while another live designer uses the same data folder', async () => {
    const temp = path.join(t.dataDir, '.x.json.0123456789ab.designer.tmp');
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(t.dataDir, '.designer-server.pid'), `${other.pid}\n`);
      writeFileSync(temp, 'in the middle of a write of the other designer');
      await t.app.services.projects.init();
      expect(existsSync(temp)).toBe(true);
    } finally {
      other.kill('SIGKILL');
      await new Promise((resolve) => other.once('exit', resolve));
    }
    await t.app.services.projects.init(); // the other one is gone: what it left is swept
    expect(existsSync(temp)).toBe(false);
    expect(readFileSync(path.join(t.dataDir, '.designer-server.pid'), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('deleting a project removes its workspace, its Git work tree and its temp files', async () => {
    const doomed = (
      await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name: 'Doomed' } })
    ).json() as ProjectFile;
    const ws = t.app.services.projects.workspaceOf(doomed.id);
    mkdirSync(path.join(ws, 'src'), { recursive: true });
    mkdirSync(path.join(t.dataDir, '.git-work', doomed.id), { recursive: true });
    writeFileSync(path.join(t.dataDir, '.git-work', doomed.id, 'README.md'), 'x');
    writeFileSync(path.join(t.dataDir, `.${doomed.id}.json.0123456789ab.designer.tmp`), '{');
    const res = await t.app.inject({ method: 'DELETE', url: `/api/projects/${doomed.id}` });
    expect(res.statusCode).toBe(204);
    expect(readdirSync(t.dataDir).filter((f) => f.includes(doomed.id))).toEqual([]);
    expect(existsSync(path.join(t.dataDir, '.git-work', doomed.id))).toBe(false);
  });
});

describe('imports that succeed leave links out of the project behind, and say so', () => {
  const IMPORTABLE =
    '[project]\nname = "shop"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = []\n\n' +
    '[tool.dg]\ndirectory_type = "project"\n\n[tool.dg.project]\nroot_module = "shop"\n';

  /** A dg project with no dependencies (uv sync takes a second) holding links in and out, and a pipe. */
  function hostileProject(name: string): string {
    const dir = path.join(scratch, name);
    mkdirSync(path.join(dir, 'src', 'shop', 'defs'), { recursive: true });
    writeFileSync(path.join(dir, 'pyproject.toml'), IMPORTABLE);
    writeFileSync(path.join(dir, 'src', 'shop', '__init__.py'), '');
    writeFileSync(path.join(dir, 'src', 'shop', 'README.md'), 'inside\n');
    writeFileSync(
      path.join(dir, 'dagster-designer.project.json'),
      JSON.stringify({ graph: { nodes: [], edges: [] } }),
    );
    symlinkSync('README.md', path.join(dir, 'src', 'shop', 'readme-link.md'));
    symlinkSync(path.join(outside, 'folder'), path.join(dir, 'src', 'shop', 'defs', 'evil'));
    symlinkSync('../../../../../../../../etc/passwd', path.join(dir, 'src', 'shop', 'passwd'));
    return dir;
  }

  const fresh = async (name: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/projects', payload: { name } })).json() as ProjectFile;

  it('from a folder: links inside kept, links out and pipes dropped with a warning each', async () => {
    const source = hostileProject('hostile-folder');
    execFileSync('mkfifo', [path.join(source, 'src', 'shop', 'pipe')]);
    const target = await fresh('From folder');
    const sentinel = treeHash(outside);
    const res = await importFolder(source, () => target.id)();
    expect(res.statusCode, res.body).toBe(200);
    const warnings = (res.json() as { problems: Array<{ message: string }> }).problems.map((p) => p.message);
    expect(warnings.join('\n')).toMatch(
      /src\/shop\/defs\/evil was left out: it is a link to outside the project/,
    );
    expect(warnings.join('\n')).toMatch(/src\/shop\/passwd was left out/);
    expect(warnings.join('\n')).toMatch(/src\/shop\/pipe was left out: it is a named pipe/);
    const ws = t.app.services.projects.workspaceOf(target.id);
    expect(readlinkSync(path.join(ws, 'src', 'shop', 'readme-link.md'))).toBe('README.md');
    expect(existsSync(path.join(ws, 'src', 'shop', 'defs', 'evil'))).toBe(false);
    expect(lstatSync(path.join(ws, 'src', 'shop', 'defs')).isDirectory()).toBe(true);
    expect(treeHash(outside)).toBe(sentinel);
  });

  it('from a Git repository: the same', async () => {
    const repo = hostileProject('hostile-repo');
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'hostile');
    const target = await fresh('From git');
    const sentinel = treeHash(outside);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/projects/${target.id}/import`,
      payload: { source: 'git', remote: repo },
    });
    expect(res.statusCode, res.body).toBe(200);
    const warnings = (res.json() as { problems: Array<{ message: string }> }).problems.map((p) => p.message);
    expect(warnings.join('\n')).toMatch(/src\/shop\/defs\/evil was left out/);
    const ws = t.app.services.projects.workspaceOf(target.id);
    expect(existsSync(path.join(ws, 'src', 'shop', 'defs', 'evil'))).toBe(false);
    expect(readlinkSync(path.join(ws, 'src', 'shop', 'readme-link.md'))).toBe('README.md');
    expect(treeHash(outside)).toBe(sentinel);
  });
});
