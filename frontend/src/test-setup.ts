import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

// Unmount rendered components between tests so each test starts from a fresh document.
afterEach(() => cleanup());
