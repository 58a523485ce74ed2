// The dashboard's build: static files under /dashboard/ (the edge's prefix), hashed assets, no inline
// scripts (the CSP forbids them), a size report per chunk (the bundle budget test reads the output).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/dashboard/",
  build: {
    outDir: fileURLToPath(new URL("../../../dist/dashboard-web", import.meta.url)),
    emptyOutDir: true,
    // Keep every asset a file: a data: URL script would need a CSP exception.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  // apps/shared/dashboard-queries.ts sits outside this folder.
  server: { fs: { allow: [fileURLToPath(new URL("../..", import.meta.url))] } },
});
