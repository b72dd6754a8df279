import { leads } from '../helpers/wordpress-sync';
import { FakeWordPress } from './fake-wordpress';

/**
 * The fake WordPress as a standalone server for trying the sync by hand, with N leads
 * on a custom route (default 600):
 *   npx tsx test/fakes/run-fake-wordpress.ts 600     (prints the WORDPRESS_* variables to use)
 */
async function main(): Promise<void> {
  const fake = await new FakeWordPress().start();
  fake.add(...leads(Number(process.argv[2] ?? 600)));
  console.log(
    JSON.stringify({
      WORDPRESS_URL: fake.url,
      WORDPRESS_USERNAME: fake.username,
      WORDPRESS_APP_PASSWORD: fake.password,
      WORDPRESS_CONTACTS_PATH: fake.path,
      WORDPRESS_FIELD_NAME: 'fields.first_name,fields.last_name',
      WORDPRESS_FIELD_PHONE: 'fields.phone',
      WORDPRESS_FIELD_EMAIL: 'fields.email',
      WORDPRESS_FIELD_MODIFIED: 'modified_gmt',
    }),
  );
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
