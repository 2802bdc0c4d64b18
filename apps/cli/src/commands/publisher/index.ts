import type { Command } from 'commander';

/** Publisher commands: init, test, mock, deploy, publish, dev. */
export const publisherCommands: ((program: Command) => void)[] = [];
