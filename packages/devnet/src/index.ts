export { startDevnet, defaultFunding, DEVNET_CHAIN_ID, type Devnet, type DevnetWorkerpool, type StartDevnetParameters } from './startDevnet.js';
export { accountRoles, devnetAccount, namedAccounts, DEVNET_MNEMONIC, type AccountRole, type DevnetAccount } from './accounts.js';
export { startAnvil, anvilBinary, type Anvil, type AnvilOptions } from './anvil.js';
export { deployPoco, defaultCategories, type DeployPocoParameters, type DeployPocoReturnType, type Funding } from './deployPoco.js';
export { AnvilStartError, DeploymentError, DevnetConfigError, DevnetStateError } from './errors.js';
export { readDevnetEnv, type DevnetEnv } from './env.js';
