// One id per build: Next's BUILD_ID, and the version of the offline shell's service worker
// (public/sw.js), so a new build caches afresh and drops the last one's files.
const buildId = process.env.CLAPPER_BUILD_ID || `clapper-${Date.now().toString(36)}`;

/** @type {import('next').NextConfig} */
const nextConfig = {
  generateBuildId: () => buildId,
  env: { CLAPPER_BUILD_ID: buildId },
  // Lets two people run the browser tests in one checkout without sharing a build.
  distDir: process.env.CLAPPER_NEXT_DIST || '.next',
  // Workspace packages are consumed as TypeScript source.
  transpilePackages: ['@clapper/domain', '@clapper/schema', '@clapper/sync-client', '@clapper/collab'],
  images: { unoptimized: true },
  // Typechecked by `npm run typecheck`; skipping it here halves build time on small machines.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default nextConfig;
