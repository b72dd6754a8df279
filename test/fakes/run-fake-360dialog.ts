import { Fake360Dialog } from './fake-360dialog';

/**
 * The fake 360Dialog as a standalone server for trying the product by hand:
 *   npx tsx test/fakes/run-fake-360dialog.ts          (prints its URL and API key)
 *   D360_API_URL=<url> D360_API_KEY=test-d360-key npm start
 * Every request it receives is printed as one JSON line.
 */
async function main(): Promise<void> {
  const fake = await new Fake360Dialog().start();
  console.log(JSON.stringify({ D360_API_URL: fake.url, D360_API_KEY: fake.apiKey }));
  let shown = 0;
  setInterval(() => {
    for (; shown < fake.requests.length; shown++) {
      const { method, path, body } = fake.requests[shown];
      console.log(JSON.stringify({ received: `${method} ${path}`, body }));
    }
  }, 200);
  process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
  process.on('SIGINT', () => void fake.stop().then(() => process.exit(0)));
}

void main();
