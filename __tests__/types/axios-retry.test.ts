/**
 * Type tests with axios-retry installed: the fixtures of `__tests__/types/fixtures/axios-retry/`, compiled
 * against the BUILT package as ES module (nodenext), CommonJS (node16) and bundler consumers, each
 * with `skipLibCheck` off and on (see `__tests__/support/type-matrix.ts`).
 */
import { describeTypeMatrix } from '../support/type-matrix';

describeTypeMatrix({ dir: 'axios-retry', packages: ['axios-retry'] });
