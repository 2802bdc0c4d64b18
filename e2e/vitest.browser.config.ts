import { projectConfig } from '../vitest.preset.js';

// The browser suite (Playwright driving Debian's chromium): `npm run test:browser`.
export default projectConfig(import.meta.url, ['browser/**/*.test.ts'], 'e2e-browser');
