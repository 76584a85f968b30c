// The console in a real Chromium against every service as its own process; run by `npm test` after e2e.
const path = require('node:path');
const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: 'browser', rootDir: __dirname, setupFilesAfterEnv: [path.join(__dirname, 'jest.setup.js')] };
