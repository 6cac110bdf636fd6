/**
 * The page's script: esbuild bundles page.ts with the package as a consumer gets it (imported
 * as 'axios-auth-flow' from a project whose node_modules links to the repository, so the
 * `exports` map picks dist/esm) and axios's browser build, for `platform: 'browser'`.
 * Node built-ins are recorded and left out, so a test can show there are none; the metafile
 * tells which files went in.
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { consumerProject, repo } from '../../package/dist';
import type { Route } from './api-server';

/** Every specifier that names a Node built-in: `fs`, `fs/promises`, `node:fs`... */
const builtinSpecifier = new RegExp(
  `^(node:.*|(${builtinModules.map((name) => name.replace(/[/]/g, '\\/')).join('|')})(\\/.*)?)$`,
);

export interface PageBundle {
  script: string;
  metafile: Metafile;
  /** Imports of Node built-ins found while bundling: `specifier from importer`. */
  builtins: string[];
}

function recordBuiltins(found: string[]): Plugin {
  return {
    name: 'record-node-builtins',
    setup(bundler) {
      bundler.onResolve({ filter: builtinSpecifier }, (args) => {
        found.push(`${args.path} from ${relative(repo, args.importer)}`);
        return { path: args.path, external: true };
      });
    },
  };
}

/** Needs dist: call `ensureBuilt()` first. */
export async function bundlePage(): Promise<PageBundle> {
  const project = consumerProject('module');
  try {
    const builtins: string[] = [];
    const page = join(repo, '__tests__', 'support', 'browser', 'page.ts');
    const result = await build({
      stdin: {
        contents: [
          `import axios from 'axios';`,
          `import * as lib from 'axios-auth-flow';`,
          `import { install } from ${JSON.stringify(page)};`,
          `install(lib, axios);`,
        ].join('\n'),
        resolveDir: project.dir,
        loader: 'js',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [recordBuiltins(builtins)],
    });
    return { script: result.outputFiles[0]!.text, metafile: result.metafile, builtins };
  } finally {
    project.remove();
  }
}

/** The page: `/` loads `/page.js`; no favicon request (it would land in a server's log). */
export function pageRoute(bundle: PageBundle): Route {
  return ({ path }) => {
    if (path === '/') {
      return {
        status: 200,
        verdict: 'page',
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
        text:
          '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">' +
          '<script src="/page.js"></script></head><body></body></html>',
      };
    }
    if (path === '/page.js') {
      return {
        status: 200,
        verdict: 'page',
        headers: { 'Content-Type': 'text/javascript; charset=utf-8' },
        text: bundle.script,
      };
    }
    return undefined;
  };
}
