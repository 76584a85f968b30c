// Every service as its own process against the real broker and database; run by `npm test` after the build.
const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'e2e', rootDir: __dirname, setupFilesAfterEnv: [path.join(__dirname, 'jest.setup.js')] };
