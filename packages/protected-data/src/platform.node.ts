import type { CryptoProvider } from './crypto.js';
import { nodeCrypto } from './nodeCrypto.js';

/** The fastest primitives of this platform: Node's native ones here. */
export const platformCrypto: CryptoProvider = nodeCrypto;
