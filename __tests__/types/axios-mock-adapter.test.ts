/**
 * Type tests with axios-mock-adapter installed: the fixtures of `__tests__/types/fixtures/axios-mock-adapter/`, compiled
 * against the BUILT package as ES module (nodenext), CommonJS (node16) and bundler consumers, each
 * with `skipLibCheck` off and on (see `__tests__/support/type-matrix.ts`).
 */
import { describeTypeMatrix } from '../support/type-matrix';

describeTypeMatrix({ dir: 'axios-mock-adapter', packages: ['axios-mock-adapter'] });
