import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Which kind of project may import which. A project's tags are in its package.json ("nx.tags").
// Packages (packages/*) never import an app (apps/*): every rule below for a package's tag leaves out
// type:app, type:ui and type:cli.
//   type:util    leaf libraries usable anywhere (errors, contracts, protected-data)
//   type:data    database access (db)
//   type:sdk     the SDK used by the web app, the CLI and scripts
//   type:runtime the enclave runtime: never server, database or UI code
//   type:chain   the local chain (anvil + PoCo) that the devnet, dev servers and tests start
//   type:service the services as libraries (api, sms, worker, storage): each app under apps/ with
//                the same name is only its process entry point
//   type:devnet  the local network, which runs the services in one process
//   type:app     deployable processes (apps/api, apps/sms, apps/worker)
//   type:ui      the web app
//   type:cli     the confidant command line: the SDK and the enclave runtime for developers, and
//                `confidant dev`, which starts the local network
//   type:tool    workspace scripts, generators, benchmarks, e2e tests
// and a platform axis: browser-safe code (platform:universal / platform:browser) imports no Node-only project.
const depConstraints = [
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:chain', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:util', 'type:data', 'type:runtime', 'type:chain', 'type:service'] },
  { sourceTag: 'type:devnet', onlyDependOnLibsWithTags: ['type:util', 'type:data', 'type:sdk', 'type:runtime', 'type:chain', 'type:service'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:service'] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:util', 'type:sdk'] },
  { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:util', 'type:sdk', 'type:runtime', 'type:chain', 'type:devnet'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:util', 'type:data', 'type:sdk', 'type:runtime', 'type:service', 'type:chain', 'type:devnet', 'type:cli', 'type:ui'] },
  { sourceTag: 'platform:universal', onlyDependOnLibsWithTags: ['platform:universal'] },
  { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:universal', 'platform:browser'] },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.cache/**', '**/.nx/**', '**/.data/**', '**/generated/**', '**/coverage/**', '**/.next/**', '**/next-env.d.ts'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Test-runner configuration is shared from the workspace root; it is not part of any project's code.
    files: ['**/vitest.config.ts', '**/vitest.*.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Library and app code throws typed errors that tell the user what to do next.
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ThrowStatement > NewExpression[callee.name='Error']",
          message: 'Throw a subclass of BaseError (@confidant/errors) that says what to do next.',
        },
      ],
    },
  },
);
