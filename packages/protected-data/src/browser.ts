// The browser entry: everything of the format, with WebCrypto. Nothing here may import from Node.
export * from './index.js';
export { webCrypto } from './webCrypto.js';
