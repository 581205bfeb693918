// The portal's web UI: Svelte components bundled by Vite into dist/web (bin/web.js runs this build).
import { join, relative } from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig, type Plugin } from 'vite'

/**
 * Records every source file the build read (dist/web/.inputs.json), so bin/web.js can tell a stale build
 * from the files it came from, including the modules shared with the server (src/query/display-format.ts).
 */
function recordInputs(): Plugin {
  return {
    name: 'opencat-record-inputs',
    generateBundle() {
      const root = join(import.meta.dirname, '..', '..')
      const files = [...this.getModuleIds()]
        .filter((id) => !id.startsWith('\0') && !id.includes('?') && !id.includes('/node_modules/'))
        .map((id) => relative(root, id))
      this.emitFile({ type: 'asset', fileName: '.inputs.json', source: JSON.stringify(files.sort()) })
    },
  }
}

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [svelte(), recordInputs()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // The server's CSP allows no inline script or data: script; keep every asset a file.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    // The build runs inside `opencat serve` on a busy machine: its timing notices are noise there.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  logLevel: 'warn',
})
