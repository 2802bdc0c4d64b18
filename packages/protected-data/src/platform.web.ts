import type { CryptoProvider } from './crypto.js';
import { webCrypto } from './webCrypto.js';

/** The fastest primitives of this platform: WebCrypto here. */
export const platformCrypto: CryptoProvider = webCrypto;
