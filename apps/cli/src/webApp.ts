import { fileURLToPath } from 'node:url';

/**
 * The marketplace web app beside the CLI in the Confidant repository (apps/web), from src/ or dist/
 * alike. An installation of the CLI alone has none: `startWebApp` then finds no build there.
 */
export const webAppDir = (): string => fileURLToPath(new URL('../../web/', import.meta.url));
