import { projectConfig } from '../vitest.preset.js';

export default projectConfig(import.meta.url, [
  'scripts/**/*.test.ts',
  'bench/**/*.test.ts',
  'release/**/*.test.ts',
  'compat/**/*.test.ts',
]);
