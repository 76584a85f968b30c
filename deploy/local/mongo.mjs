import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './paths.mjs';
import { capture, requireCommand, spawnDetached, which } from './processes.mjs';

export const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
export const FERRETDB_VERSION = 'v1.24.2';

export function mongoUrl(port) {
  // No database in the URL: services choose theirs (MONGO_DB), tests make unique ones.
  return `mongodb://127.0.0.1:${port}`;
}

// A real mongod wins when the user has one; otherwise FerretDB (MongoDB wire
// protocol over SQLite), which we can build from the Go module proxy alone.
export function mongoKind() {
  return which('mongod') ? 'mongod' : 'ferretdb';
}

// Three small patches to FerretDB v1.24.2's SQLite backend, all about finding documents by _id:
// - it builds its unique _id index on `_ferretdb_sjson->"_id"` but looked documents up by
//   `_ferretdb_sjson->'$._id'`; SQLite uses an expression index only for the same expression, so
//   every find, update and delete by _id scanned the whole table (125-460 ms at 20,000 documents,
//   under the database's write lock for writes; 1.5-8 ms patched);
// - it handed `_id` to SQLite only when the filter was `{_id}` alone, so `{_id, status: ...}`
//   (a conditional update) read the whole collection into Go. The handler matches the whole
//   filter against what SQLite returns anyway, so narrowing by `_id` first changes no result;
// - likewise `{_id: {$in: [...]}}` of strings or ObjectIDs becomes `WHERE id IN (...)`, so a batch
//   of documents is read (or updated with updateMany) in one indexed command, not a full scan.
//   MongoDB's own `$in` on `_id` uses its index, so batched reads cost the same on both.
// And one outside the backend: FerretDB's leak tracking (internal/util/resource) adds every
// iterator, transaction and cursor to a pprof profile, which captures a stack trace each time, and
// sets a finalizer on it; only debug builds report what it finds, yet release builds paid for it:
// 7 % of the server's CPU under the notification benchmark. Release builds now skip it.
// The suffix keeps binaries built without these patches from being reused.
const PATCHES = [
  {
    file: join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->\\"_id\\""`,
  },
  {
    file: join('internal', 'backends', 'sqlite', 'collection.go'),
    from: 'if params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")\n\t\tswitch v.(type) {\n\t\tcase string, types.ObjectID:\n\t\t\twhereClause',
    to: 'if params.Filter.Len() >= 1 {\n\t\tv, _ := params.Filter.Get("_id")\n\t\tswitch v.(type) {\n\t\tcase string, types.ObjectID:\n\t\t\twhereClause',
  },
  {
    // Only Query's copy is followed by `q += whereClause` (Explain's is not patched: it only reports).
    file: join('internal', 'backends', 'sqlite', 'collection.go'),
    from: '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n\t\t}\n\t}\n\n\tq += whereClause',
    to: '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n\t\tcase *types.Document:\n\t\t\twhereClause, args = idInWhereClause(v.(*types.Document))\n\t\t}\n\t}\n\n\tq += whereClause',
  },
  {
    file: join('internal', 'backends', 'sqlite', 'id_in.go'),
    create: `package sqlite

import (
\t"fmt"
\t"strings"

\t"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
\t"github.com/FerretDB/FerretDB/internal/handler/sjson"
\t"github.com/FerretDB/FerretDB/internal/types"
\t"github.com/FerretDB/FerretDB/internal/util/must"
)

// idInWhereClause narrows {_id: {$in: [...]}} to an indexed IN when every element is a string or an
// ObjectID; anything else returns no clause, and the handler's own filter decides as before.
func idInWhereClause(v *types.Document) (string, []any) {
\tif v.Len() != 1 {
\t\treturn "", nil
\t}
\tin, _ := v.Get("$in")
\tarr, ok := in.(*types.Array)
\tif !ok || arr.Len() == 0 || arr.Len() > 1000 {
\t\treturn "", nil
\t}
\targs := make([]any, 0, arr.Len())
\tfor i := 0; i < arr.Len(); i++ {
\t\te := must.NotFail(arr.Get(i))
\t\tswitch e.(type) {
\t\tcase string, types.ObjectID:
\t\t\targs = append(args, string(must.NotFail(sjson.MarshalSingleValue(e))))
\t\tdefault:
\t\t\treturn "", nil
\t\t}
\t}
\treturn fmt.Sprintf(\` WHERE %s IN (%s)\`, metadata.IDColumn, strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")), args
}
`,
  },
  {
    file: join('internal', 'util', 'resource', 'resource.go'),
    from: 'func Track(obj any, token *Token) {\n\tcheckArgs(obj, token)\n',
    to: 'func Track(obj any, token *Token) {\n\tcheckArgs(obj, token)\n\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}\n',
  },
  {
    file: join('internal', 'util', 'resource', 'resource.go'),
    from: 'func Untrack(obj any, token *Token) {\n\tcheckArgs(obj, token)\n',
    to: 'func Untrack(obj any, token *Token) {\n\tcheckArgs(obj, token)\n\n\tif !debugbuild.Enabled {\n\t\treturn\n\t}\n',
  },
];
const PATCH_SUFFIX = 'idindex4';

function ferretdbBinary() {
  return join(cacheDir(), `ferretdb-${FERRETDB_VERSION}-${PATCH_SUFFIX}`, 'ferretdb');
}

function applyPatches(src) {
  for (const patch of PATCHES) {
    const file = join(src, patch.file);
    if (patch.create !== undefined) {
      if (existsSync(file)) throw new Error(`FerretDB ${FERRETDB_VERSION} already has ${patch.file}; review the patches in deploy/local/mongo.mjs`);
      writeFileSync(file, patch.create);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    // Exactly one place each: a new FerretDB version must be looked at, not patched blindly.
    if (text.split(patch.from).length !== 2) {
      throw new Error(`FerretDB ${FERRETDB_VERSION}: ${patch.file} does not have exactly one ${JSON.stringify(patch.from)}; review the patches in deploy/local/mongo.mjs`);
    }
    writeFileSync(file, text.replace(patch.from, patch.to));
  }
}

async function binaryVersionOk(bin) {
  if (!existsSync(bin)) return false;
  try {
    const { code, stdout } = await capture(bin, ['--version']);
    return code === 0 && stdout.includes(`version: ${FERRETDB_VERSION}`);
  } catch {
    return false;
  }
}

// The module cache is read-only, so the source is copied with writable modes
// before adding the version file FerretDB's build expects.
function copyTree(src, dst) {
  mkdirSync(dst, { recursive: true, mode: 0o755 });
  for (const entry of readdirSync(src, { withFileTypes: true })) {
    const from = join(src, entry.name);
    const to = join(dst, entry.name);
    if (entry.isDirectory()) copyTree(from, to);
    else if (entry.isFile()) {
      copyFileSync(from, to);
      chmodSync(to, 0o644 | (statSync(from).mode & 0o111));
    }
  }
}

export async function ensureFerretdb(log) {
  const bin = ferretdbBinary();
  if (await binaryVersionOk(bin)) return bin;

  requireCommand('go', `once, to build FerretDB ${FERRETDB_VERSION} (no 'mongod' on PATH and MONGO_URL not set); install Go 1.22+`);
  log(`building FerretDB ${FERRETDB_VERSION} with Go (first run only, ~2 min)...`);
  const buildRoot = join(cacheDir(), 'build');
  mkdirSync(buildRoot, { recursive: true });

  const dl = await capture('go', ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`], { cwd: buildRoot });
  let moduleDir;
  try {
    moduleDir = JSON.parse(dl.stdout).Dir;
  } catch {
    moduleDir = undefined;
  }
  if (dl.code !== 0 || !moduleDir) {
    throw new Error(`'go mod download ${FERRETDB_MODULE}@${FERRETDB_VERSION}' failed (exit ${dl.code}):\n${(dl.stdout + dl.stderr).trim()}`);
  }

  // Per-process build dir and an atomic rename, so two cold `up`s in parallel
  // cannot trip over each other.
  const src = join(buildRoot, `ferretdb-${FERRETDB_VERSION}-${process.pid}`);
  rmSync(src, { recursive: true, force: true });
  copyTree(moduleDir, src);
  mkdirSync(join(src, 'build', 'version'), { recursive: true });
  writeFileSync(join(src, 'build', 'version', 'version.txt'), FERRETDB_VERSION);
  applyPatches(src);

  mkdirSync(join(bin, '..'), { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  // CGO off: FerretDB's SQLite driver is pure Go, and this way no C compiler is needed.
  const res = await capture('go', ['build', '-trimpath', '-o', tmp, './cmd/ferretdb'], {
    cwd: src,
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  rmSync(src, { recursive: true, force: true });
  if (res.code !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`building FerretDB failed (exit ${res.code}):\n${(res.stdout + res.stderr).trim()}`);
  }
  renameSync(tmp, bin);
  if (!(await binaryVersionOk(bin))) throw new Error(`built ${bin} but it does not report ${FERRETDB_VERSION}`);
  return bin;
}

export function mongoCommandNeedle(mongoDir) {
  return mongoDir;
}

export function startMongo({ kind, binary, mongoDir, logFile, port }) {
  mkdirSync(mongoDir, { recursive: true });
  if (kind === 'mongod') {
    return spawnDetached(
      binary,
      ['--dbpath', mongoDir, '--port', String(port), '--bind_ip', '127.0.0.1'],
      { cwd: mongoDir, env: process.env, logFile },
    );
  }
  return spawnDetached(
    binary,
    [
      '--handler=sqlite',
      // WAL (FerretDB's default) with synchronous=NORMAL: a commit survives the process being
      // killed, not the machine losing power, and no longer waits for an fsync: single-document
      // writes 1.5-3x faster here. Fine for a local database; production runs MongoDB.
      `--sqlite-url=file:${mongoDir}/?_pragma=synchronous(normal)`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${mongoDir}`,
      '--telemetry=disable',
      '--log-level=warn',
      '--debug-addr=-',
    ],
    { cwd: mongoDir, env: process.env, logFile },
  );
}
