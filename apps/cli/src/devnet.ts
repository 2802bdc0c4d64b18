import type * as Devnet from '@confidant/devnet';
import { CliError, EXIT } from './output.js';

type DevnetModule = typeof Devnet;

/**
 * The local network's code, which only the Confidant repository has: an installed CLI talks to
 * networks (`confidant network use <name>`) but runs none itself.
 *
 * @example
 * const { startDevnet } = await loadDevnet();
 */
export async function loadDevnet(): Promise<DevnetModule> {
  try {
    return await import('@confidant/devnet');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('@confidant/devnet')) {
      throw new CliError(
        'this installation of the CLI cannot run a local network',
        'Run `npm start` in a clone of the Confidant repository for the local network, or choose a running network with `confidant network use <name>`.',
        EXIT.failure,
      );
    }
    throw error;
  }
}
