import type { ApiClient } from './api-client';
import { apiClient } from './api-client';
import { truncateAll } from './database';
import { startSystem, type TestSystem } from './system';

export interface SystemUnderTest {
  system: TestSystem;
  api: ApiClient;
}

/**
 * Mocha hooks for one describe block: a system started before its tests and stopped after,
 * with the fake 360Dialog reset and every table emptied before each test.
 */
export function useSystem(env: Record<string, string> = {}, options: { worker?: boolean } = {}): SystemUnderTest {
  const sut = {} as SystemUnderTest;
  before(async () => {
    sut.system = await startSystem(env, options);
    sut.api = apiClient(sut.system.baseUrl);
  });
  after(() => sut.system?.stop());
  beforeEach(async () => {
    sut.system.fake.reset();
    await truncateAll(sut.system.db);
  });
  return sut;
}
