/**
 * Type tests with axios-cache-interceptor installed: the fixtures of `__tests__/types/fixtures/axios-cache-interceptor/`, compiled
 * against the BUILT package as ES module (nodenext), CommonJS (node16) and bundler consumers, each
 * with `skipLibCheck` off and on (see `__tests__/support/type-matrix.ts`).
 */
import { describeTypeMatrix } from '../support/type-matrix';

describeTypeMatrix({
  dir: 'axios-cache-interceptor',
  packages: ['axios-cache-interceptor'],
  dom: true,
});
