import type { Config } from 'jest';

/**
 * `npm run test:axios-range` (scripts/axios-range.mjs) runs the runtime tests against another
 * axios 1.x: this names the CommonJS entry of that copy, and every `require('axios')`, ours and
 * axios-mock-adapter's alike, gets it. Types still come from the repository's axios.
 */
const axiosUnderTest = process.env.AXIOS_AUTH_FLOW_AXIOS_ENTRY;

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: { warnOnly: false } }],
  },
  moduleNameMapper: {
    // Sources import siblings with the `.js` suffix that Node's ESM loader needs;
    // jest resolves the TypeScript file behind it.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    ...(axiosUnderTest ? { '^axios$': axiosUnderTest } : {}),
  },
  // Builds dist once per run, for the tests of the built package (`__tests__/package/dist.ts`);
  // the axios-range run tests the sources only.
  ...(axiosUnderTest ? {} : { globalSetup: '<rootDir>/__tests__/support/global-setup.ts' }),
  testTimeout: 30000,
};

export default config;
