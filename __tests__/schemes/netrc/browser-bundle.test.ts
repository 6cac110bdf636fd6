/**
 * NetRC is Node only, but exporting it from the main entry must not pull Node's `fs`, `os` or
 * `path` into a browser bundle. esbuild (the bundler under tsx) refuses to resolve a Node
 * built-in for `platform: 'browser'`, so a static import anywhere under the entry fails the build.
 */
import path from 'node:path';
import { build } from 'esbuild';

const root = path.join(__dirname, '..', '..', '..');

async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    external: ['axios'],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

test.each(['src/schemes/netrc/netrc-auth.ts', 'src/index.ts'])(
  '%s bundles for the browser without Node built-ins',
  async (entry) => {
    const text = await bundleForBrowser(entry);
    expect(text).toMatch(/\bNetRCAuth = class\b|class NetRCAuth\b/);
    expect(text).not.toMatch(/\brequire\(|from\s*["'](node:)?(fs|os|path)["']/);
  },
);

test('a static import of node:fs would have failed the build', async () => {
  // The check above is only worth something if esbuild really rejects a built-in.
  await expect(
    build({
      stdin: { contents: "import { readFileSync } from 'node:fs'; console.log(readFileSync);" },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }),
  ).rejects.toThrow(/node:fs/);
});
