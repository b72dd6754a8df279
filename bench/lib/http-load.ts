import { execFile } from 'node:child_process';
import path from 'node:path';

export interface LoadResult {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  errors: number;
  latencies: number[];
}

/** Runs bench/load/http-load.ts in a second Node process (through tsx) against `url`. */
export function runHttpLoad(url: string, seconds: number, connections: number, series: number): Promise<LoadResult> {
  const script = path.join(__dirname, '..', 'load', 'http-load.ts');
  const args = ['--import', 'tsx', script, JSON.stringify({ url, seconds, connections, series })];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { maxBuffer: 256 * 1024 * 1024, timeout: (seconds + 60) * 1000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`load generator failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
        } catch (parseErr) {
          reject(
            new Error(
              `load generator printed no result: ${(parseErr as Error).message}\n${stdout.slice(0, 500)}\n${stderr}`,
            ),
          );
        }
      },
    );
  });
}
