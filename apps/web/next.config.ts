import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // @zklabel/core ships TypeScript sources that import each other with `.ts` extensions.
  transpilePackages: ["@zklabel/core"],
  reactStrictMode: true,
  // Do not write AGENTS.md files into the app when `next dev` runs.
  agentRules: false,
};

export default nextConfig;
