import nx from '@nx/eslint-plugin';

// I/O that a pure library must never touch: brokers, databases, sockets, files, providers.
const ioModules = [
  'kafkajs', 'mongoose', 'mongodb', '@nestjs/*', 'twilio', 'nodemailer', 'smtp-server',
  'mailparser', 'imapflow', 'ws', 'express', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises',
  'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'child_process',
  'node:child_process', 'dgram', 'node:dgram', 'tls', 'node:tls',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '.nx', '.data', 'deploy/**/*.mjs'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // A parameter named `_x` is there on purpose (a dependency injected only for its order of construction).
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:pure', onlyDependOnLibsWithTags: ['scope:pure'], bannedExternalImports: ioModules },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
    },
  },
  {
    // Specs and offline tools (training, evaluation) of a pure library may read files.
    files: ['**/*.spec.ts', 'libs/*/scripts/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
