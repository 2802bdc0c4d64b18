import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** The marketplace web app's folder (its production build is in .next/), as this workspace links it. */
export const webAppDir = dirname(createRequire(import.meta.url).resolve('@confidant/web/package.json'));
