import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/http-server';
import { eventually } from '../helpers/poll';
import { WORDPRESS_DIR } from './packages';

const DB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const salt = () => randomBytes(32).toString('hex');

// php -S hands every path that is not a file to WordPress, as Apache's rewrite rules would.
// php -S logs no request a router script handles, so the router logs each one itself.
const ROUTER = `<?php
file_put_contents('php://stderr', 'wa-request ' . $_SERVER['REQUEST_URI'] . "\\n");
$file = __DIR__ . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (is_file($file)) return false;
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
`;

/**
 * The package's code is read-only and shared (its folders are linked, ~60 MB not copied); the
 * top-level files are copied, so wp-load.php finds this site's wp-config.php and wp-content.
 */
function linkWordPress(dir: string): void {
  for (const entry of readdirSync(WORDPRESS_DIR, { withFileTypes: true })) {
    const source = join(WORDPRESS_DIR, entry.name);
    if (entry.name === 'wp-content' || entry.name === 'wp-config.php' || !existsSync(source)) continue;
    if (statSync(source).isDirectory()) symlinkSync(source, join(dir, entry.name));
    else cpSync(source, join(dir, entry.name), { dereference: true });
  }
  const content = join(dir, 'wp-content');
  mkdirSync(join(content, 'mu-plugins'), { recursive: true });
  for (const entry of readdirSync(join(WORDPRESS_DIR, 'wp-content')))
    symlinkSync(join(WORDPRESS_DIR, 'wp-content', entry), join(content, entry));
}

/**
 * A private WordPress: a copy of Debian's package in a temporary folder, its own database on
 * the machine's MariaDB, served by `php -S` on a free port. Everything goes at `destroy()`.
 */
export class WordPressSite {
  readonly dir = mkdtempSync(join(tmpdir(), 'wa-wordpress-'));
  readonly database = `wa_wp_${randomBytes(4).toString('hex')}`;
  port = 0;
  private server?: ChildProcess;
  /** The server's access log: one line per request, so a test can see which page WordPress served. */
  log: string[] = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async create(): Promise<void> {
    this.port = await freePort();
    linkWordPress(this.dir);
    this.sql(`CREATE DATABASE \`${this.database}\` CHARACTER SET utf8mb4`);
    const keys = [
      'AUTH_KEY',
      'SECURE_AUTH_KEY',
      'LOGGED_IN_KEY',
      'NONCE_KEY',
      'AUTH_SALT',
      'SECURE_AUTH_SALT',
      'LOGGED_IN_SALT',
      'NONCE_SALT',
    ];
    writeFileSync(
      join(this.dir, 'wp-config.php'),
      `<?php
define('DB_NAME', '${this.database}');
define('DB_USER', '${DB.user}');
define('DB_PASSWORD', '${DB.password}');
define('DB_HOST', '${DB.host}:${DB.port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
${keys.map((k) => `define('${k}', '${salt()}');`).join('\n')}
// Application Passwords need HTTPS unless the site says it is a local one.
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HOME', '${this.url}');
define('WP_SITEURL', '${this.url}');
define('WP_DEBUG', false);
define('DISABLE_WP_CRON', true);
$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
`,
    );
    writeFileSync(join(this.dir, 'router.php'), ROUTER);
  }

  /** Runs PHP inside WordPress (wp-load.php) from the CLI and returns what it printed. */
  php(code: string, { installing = false } = {}): string {
    const file = join(this.dir, `cli-${randomBytes(4).toString('hex')}.php`);
    writeFileSync(
      file,
      `<?php\n${installing ? "define('WP_INSTALLING', true);\n" : ''}require __DIR__ . '/wp-load.php';\n${code}\n`,
    );
    try {
      const run = spawnSync('php', [file], {
        encoding: 'utf8',
        env: { ...process.env, HTTP_HOST: `127.0.0.1:${this.port}` },
      });
      if (run.status !== 0) throw new Error(`php failed (${run.status}): ${run.stderr}\n${run.stdout}`.slice(0, 4_000));
      return run.stdout;
    } finally {
      rmSync(file, { force: true });
    }
  }

  /**
   * wp_install from the CLI, pretty permalinks, and the users the tests log in as, each with an Application Password.
   */
  install(users: { login: string; role: string }[]): Record<string, string> {
    const out = this.php(
      `
// No mail server here: the "new site" mail would only warn.
function wp_new_blog_notification() {}
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install('Landing pages', 'admin', 'admin@example.com', false, '', wp_generate_password());
update_option('permalink_structure', '/%postname%/');
$passwords = [];
foreach (json_decode('${JSON.stringify(users)}', true) as $user) {
  $id = $user['login'] === 'admin' ? 1 : wp_insert_user(['user_login' => $user['login'], 'user_pass' => wp_generate_password(), 'user_email' => $user['login'] . '@example.com', 'role' => $user['role']]);
  if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); }
  $created = WP_Application_Passwords::create_new_application_password($id, ['name' => 'wa-automation']);
  if (is_wp_error($created)) { fwrite(STDERR, $created->get_error_message()); exit(1); }
  $passwords[$user['login']] = WP_Application_Passwords::chunk_password($created[0]);
}
echo json_encode($passwords);`,
      { installing: true },
    );
    return JSON.parse(out.slice(out.indexOf('{')));
  }

  addMustUsePlugin(name: string, code: string): void {
    writeFileSync(join(this.dir, 'wp-content', 'mu-plugins', name), code);
  }

  async serve(): Promise<void> {
    this.log = [];
    const server = spawn('php', ['-S', `127.0.0.1:${this.port}`, '-t', this.dir, join(this.dir, 'router.php')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) =>
      this.log.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l.startsWith('wa-request ')),
      );
    server.stdout?.on('data', collect);
    server.stderr?.on('data', collect);
    this.server = server;
    // A test run that dies must not leave a web server behind.
    process.once('exit', () => server.kill('SIGKILL'));
    await eventually(async () => (await fetch(`${this.url}/wp-json/`).catch(() => undefined))?.status === 200, {
      what: `WordPress answering on ${this.url}`,
      timeoutMs: 30_000,
    });
  }

  /** Kills `php -S` at once, as a crashed web server would go. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  /** Pages of `path` that WordPress served, in order. */
  pagesServed(path: string): number[] {
    return this.log.filter((l) => l.includes(path)).map((l) => Number(/[?&]page=(\d+)/.exec(l)?.[1] ?? 0));
  }

  async destroy(): Promise<void> {
    await this.stop();
    try {
      this.sql(`DROP DATABASE IF EXISTS \`${this.database}\``);
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private sql(statement: string): void {
    const code = `$db = new mysqli('${DB.host}', '${DB.user}', '${DB.password}', null, ${DB.port}); if (!$db->query(${JSON.stringify(statement)})) { fwrite(STDERR, $db->error); exit(1); }`;
    const run = spawnSync('php', ['-r', code], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`MariaDB: ${statement}: ${run.stderr}`);
  }
}
