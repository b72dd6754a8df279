// Runs npm scripts at the same time and prints each one's output whole when it ends, with its time;
// fails if any failed. `npm test` uses it: the checks need CPU while the system tests mostly wait.
// node scripts/run-concurrently.mjs typecheck lint test:unit
import { spawn } from 'node:child_process';

const run = (script) =>
  new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', '-s', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '1' },
    });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n=== ${script}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s\n`);
      process.stdout.write(Buffer.concat(output));
      resolve({ script, code, seconds });
    });
  });

const started = Date.now();
const results = await Promise.all(process.argv.slice(2).map(run));
process.stdout.write('\n');
for (const { script, code, seconds } of results)
  process.stdout.write(`${code === 0 ? 'ok    ' : 'FAILED'} ${seconds.padStart(6)} s  ${script}\n`);
process.stdout.write(`       ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  in all\n`);
process.exit(results.every(({ code }) => code === 0) ? 0 : 1);
