/**
 * Node built-ins, loaded when first needed instead of imported.
 *
 * A static `import 'node:fs'` would be followed by every bundler and pull Node's modules (or
 * their polyfills, or a build error) into a browser bundle of the package, although only the
 * Node-only parts (NetRC, stream bodies, Node's faster hashes) ever use them.
 * `process.getBuiltinModule` (Node 20.16+) hands them over at run time without anything a
 * bundler can see.
 */

interface NodeProcess {
  getBuiltinModule?: (name: string) => unknown;
}

/** A Node built-in module by its `node:` name, or undefined where there is none (a browser). */
export function optionalNodeModule<T>(name: string): T | undefined {
  const process = (globalThis as { process?: NodeProcess }).process;
  return (process?.getBuiltinModule?.(name) ?? undefined) as T | undefined;
}

/** A Node built-in module by its `node:` name; throws where there is none (a browser). */
export function nodeModule<T>(name: string): T {
  const loaded = optionalNodeModule<T>(name);
  if (!loaded) throw new Error(`axios-auth-flow: ${name} is only available on Node.js 20.16+`);
  return loaded;
}
