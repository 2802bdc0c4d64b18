import type { Command } from 'commander';
import { registerAccess } from './access.js';
import { registerData } from './data.js';
import { registerGrant } from './grant.js';
import { registerNetwork } from './network.js';
import { registerProtect } from './protect.js';
import { registerRun } from './run.js';
import { registerTask } from './task.js';
import { registerTransfer } from './transfer.js';
import { registerWallet } from './wallet.js';

/** Data owner, requester, wallet and network commands. */
export const ownerCommands: ((program: Command) => void)[] = [
  registerWallet,
  registerNetwork,
  registerProtect,
  registerData,
  registerGrant,
  registerAccess,
  registerTransfer,
  registerRun,
  registerTask,
];
