export {
  startLocalChain,
  defaultFunding,
  LOCAL_CHAIN_ID,
  type LocalChain,
  type LocalWorkerpool,
  type StartLocalChainParameters,
} from './startLocalChain.js';
export { accountRoles, chainAccount, namedAccounts, TEST_MNEMONIC, type AccountRole, type ChainAccount } from './accounts.js';
export { startAnvil, anvilBinary, type Anvil, type AnvilOptions } from './anvil.js';
export { deployPoco, defaultCategories, type DeployPocoParameters, type DeployPocoReturnType, type Funding } from './deployPoco.js';
export { compileDataProtector, dataProtectorArtifact } from './dataProtector.js';
export { AnvilStartError, ChainStateError, DeploymentError } from './errors.js';
