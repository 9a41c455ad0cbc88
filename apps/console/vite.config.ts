import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the gateway at /console/ under a strict Content-Security-Policy
// (`default-src 'self'`): no inline script or style is emitted, assets are content-hashed.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // `pnpm --filter @claude-auth/console dev`: the admin API of a gateway running on :8080
  // (`pnpm start`), same-origin as in production.
  server: {
    proxy: { '/v1': process.env.CLAUDE_AUTH_GATEWAY_URL ?? 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
