// The emulator spawns Chromium and loads optional modules at run time, so Next must leave it unbundled.
/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  serverExternalPackages: ["firecrawl-interact-emulator"],
};

export default nextConfig;
