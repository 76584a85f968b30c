// TypeScript require hook for the routing scripts and benchmark, so they run on a fresh clone after
// `npm ci` without a build: `node -r ./libs/routing/scripts/register.js script.ts`. SWC (already a
// dev dependency for jest) strips the types; @switchboard/* resolve to library sources as in
// jest.preset.js and tsconfig.base.json.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const m = /^@switchboard\/([a-z-]+)$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', 'index.ts');
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
