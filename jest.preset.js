// Shared jest settings: SWC transpiles TypeScript (with decorator metadata for Nest)
// and the @switchboard/* aliases resolve to library sources, so no build is needed.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@switchboard/([a-z-]+)$': path.join(__dirname, 'libs/$1/src/index.ts'),
  },
  testMatch: ['**/*.spec.ts'],
  setupFilesAfterEnv: [path.join(__dirname, 'jest.setup.js')],
};
