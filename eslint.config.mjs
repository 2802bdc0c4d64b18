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
//                the same name is only its process entry point. Those that call the API (sms,
//                worker) use the SDK's typed API client.
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
  {
    sourceTag: 'type:service',
    onlyDependOnLibsWithTags: ['type:util', 'type:data', 'type:sdk', 'type:runtime', 'type:chain', 'type:service'],
  },
  {
    sourceTag: 'type:devnet',
    onlyDependOnLibsWithTags: ['type:util', 'type:data', 'type:sdk', 'type:runtime', 'type:chain', 'type:service'],
  },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:service'] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:util', 'type:sdk'] },
  { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:util', 'type:sdk', 'type:runtime', 'type:chain', 'type:devnet'] },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: [
      'type:util',
      'type:data',
      'type:sdk',
      'type:runtime',
      'type:service',
      'type:chain',
      'type:devnet',
      'type:cli',
      'type:ui',
    ],
  },
  { sourceTag: 'platform:universal', onlyDependOnLibsWithTags: ['platform:universal'] },
  { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:universal', 'platform:browser'] },
];

// The code that ships: every project's src/ (tests are excluded rule by rule).
const productCode = ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts', 'apps/*/src/**/*.tsx'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.cache/**',
      '**/.nx/**',
      '**/.data/**',
      '**/generated/**',
      '**/coverage/**',
      '**/.next/**',
      '**/next-env.d.ts',
    ],
  },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // The API's router type is the contract every client is typed by; the rule below lets
          // only the services, the devnet, tools and tests import its code.
          allow: ['@confidant/api'],
          // The CLI and the web app's client components load heavy libraries lazily, and server
          // components, tests and light entry points (`@confidant/contracts/schemas`) import the same
          // libraries statically without reaching those bundles. What lazy loading protects is
          // measured instead: `npm run bench -- web` (first-load JavaScript) and `-- cli` (--help).
          checkDynamicDependenciesExceptions: ['@confidant/**'],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Clients of the API (the SDK, the web app, the CLI) import its types only: `import type { AppRouter }`.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: [
      'packages/api/**',
      'apps/api/**',
      'packages/devnet/**',
      'packages/sms/test/**',
      'packages/worker/test/**',
      'e2e/**',
      'tools/**',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@confidant/api',
              allowTypeImports: true,
              message: "Import the API's types only (`import type`); call it with the SDK's createApiClient.",
            },
          ],
        },
      ],
    },
  },
  {
    // Test-runner configuration is shared from the workspace root; it is not part of any project's code.
    files: ['**/vitest.config.ts', '**/vitest.*.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Library and app code throws typed errors that tell the user what to do next.
    files: productCode,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ThrowStatement > NewExpression[callee.name=/^(Error|RangeError|TypeError)$/]',
          message: 'Throw a subclass of BaseError (@confidant/errors) that says what to do next.',
        },
        {
          selector: "CallExpression[callee.object.name='Object'][callee.property.name='assign'] > NewExpression[callee.name=/Error$/]",
          message: 'Give the error a class of its own (a subclass of BaseError) with typed fields instead of patching an Error.',
        },
      ],
    },
  },
  {
    // A function that does not fit on a screen does several things: split it (steps, hooks, handlers).
    files: productCode,
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The environment is read in one place per project (its env.ts), parsed and typed there.
    files: productCode,
    ignores: ['**/*.test.ts', '**/env.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: "Read the environment in this project's env.ts only." },
      ],
    },
  },
);
