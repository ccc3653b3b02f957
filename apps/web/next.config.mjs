// One id per build: Next's BUILD_ID, and the version of the offline shell's service worker
// (public/sw.js), so a new build caches afresh and drops the last one's files.
// Kept in the environment: a build evaluates this file in more than one process (the
// client's compilation got another id than BUILD_ID when each made its own), and the
// service worker compares the page's build (x-clapper-build below) with its own.
const buildId = (process.env.CLAPPER_BUILD_ID ||= `clapper-${Date.now().toString(36)}`);

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
  // Every response names the build that served it: the service worker serves pages from its
  // cache first and, revalidating, learns from this that a newer build is deployed (public/sw.js).
  async headers() {
    return [{ source: '/:path*', headers: [{ key: 'x-clapper-build', value: buildId }] }];
  },
};

export default nextConfig;
