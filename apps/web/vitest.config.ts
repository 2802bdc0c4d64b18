import { mergeConfig } from 'vitest/config';
import { projectConfig } from '../../vitest.preset.js';

// tsconfig keeps JSX for Next.js to compile; the tests compile it with React's automatic runtime.
export default mergeConfig(projectConfig(import.meta.url, ['src/**/*.test.ts', 'test/**/*.test.ts']), {
  oxc: { jsx: { runtime: 'automatic' } },
});
