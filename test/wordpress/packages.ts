import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export const WORDPRESS_DIR = '/usr/share/wordpress';
const PACKAGES = ['wordpress', 'php-cli', 'php-mysql', 'php-curl', 'php-xml', 'php-mbstring'];
const PHP_MODULES = ['mysqli', 'curl', 'dom', 'mbstring'];

function phpModules(): string[] {
  try {
    return execFileSync('php', ['-m'], { encoding: 'utf8' })
      .split('\n')
      .map((m) => m.trim().toLowerCase());
  } catch {
    return [];
  }
}

/**
 * Debian's WordPress and the PHP it needs, installed only when something is missing (CI starts from a bare machine).
 */
export function ensureWordPressPackages(): void {
  const modules = phpModules();
  const missing = !existsSync(`${WORDPRESS_DIR}/wp-load.php`) || PHP_MODULES.some((m) => !modules.includes(m));
  if (!missing) return;
  console.log(`installing ${PACKAGES.join(' ')} from Debian's packages`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...PACKAGES], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** Whether something listens on MariaDB's port (the tier needs it; where there is none it is skipped). */
export function mariadbReachable(host = '127.0.0.1', port = 3306, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
