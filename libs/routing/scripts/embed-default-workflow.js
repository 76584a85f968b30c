// Regenerates src/default-workflow.ts from config/default-workflow.yaml:
//   node libs/routing/scripts/embed-default-workflow.js
// (src/default-workflow.spec.ts fails when the two differ.)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const yaml = fs.readFileSync(path.join(root, 'config/default-workflow.yaml'), 'utf8');
const ts = [
  '// Generated from config/default-workflow.yaml by scripts/embed-default-workflow.js; a spec keeps the two identical.',
  `export const DEFAULT_WORKFLOW_YAML = ${JSON.stringify(yaml)};`,
  '',
].join('\n');
fs.writeFileSync(path.join(root, 'src/default-workflow.ts'), ts);
