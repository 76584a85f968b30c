// TypeScript require hook for scripts and benchmarks, so they run on a fresh clone after `npm ci`
// without a build: `node -r ./test/register-ts.js some-script.ts`. SWC (already used by jest) strips
// the types; @switchboard/* resolve to library sources as in jest.preset.js and tsconfig.base.json.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '..');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  const m = /^@switchboard\/([a-z-]+)$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', 'index.ts');
  return originalResolve.call(this, request, parent, ...rest);
};

require.extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
