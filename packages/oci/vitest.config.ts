import { projectConfig } from '../../vitest.preset.js';

export default projectConfig(import.meta.url);
