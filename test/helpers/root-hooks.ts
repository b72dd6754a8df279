import { startShared, stopShared } from './system';

/** One Temporal dev server and one database for the whole run. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000);
    await startShared();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await stopShared();
  },
};
