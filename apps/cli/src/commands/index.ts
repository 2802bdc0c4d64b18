import type { Command } from 'commander';
import { registerCompletion } from './completion.js';
import { ownerCommands } from './owner/index.js';
import { publisherCommands } from './publisher/index.js';

/** Every command's registration, in the order `--help` lists them; completion last, as it reads them all. */
export const commands: ((program: Command) => void)[] = [...publisherCommands, ...ownerCommands, registerCompletion];
