import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is served by the gateway at /console/ under a strict Content-Security-Policy
// (`default-src 'self'`): no inline script or style is emitted, assets are content-hashed.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});
