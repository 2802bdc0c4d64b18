import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The SDK and its chain libraries run on the server only here: no need to bundle them there.
  serverExternalPackages: ['@confidant/sdk'],
  images: { unoptimized: true },
};

export default config;
