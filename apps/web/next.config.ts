import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // @zklabel/core and @zklabel/sdk ship TypeScript sources that import each other with `.ts` extensions.
  transpilePackages: ["@zklabel/core", "@zklabel/sdk"],
  reactStrictMode: true,
  // Do not write AGENTS.md files into the app when `next dev` runs.
  agentRules: false,
  // No development-tools badge over the pages (and their screenshots).
  devIndicators: false,
};

export default nextConfig;
