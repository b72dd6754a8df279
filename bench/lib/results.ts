import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmtRatio } from './stats';
import { cpuText, rssText, type PeakRss } from './memory';

export const RESULTS_FILE = path.join(__dirname, '..', 'RESULTS.md');

/** One line of bench/RESULTS.md: what one benchmark measured in one run. */
export interface ResultRow {
  bench: string;
  size: string;
  result: string;
  baseline: string;
  ratio?: number;
  target: string;
  met?: boolean;
  latency?: string;
  rss?: PeakRss;
}

const HEADER = `# Benchmark results

Rows are appended by \`npm run bench\` (bench/run.ts), newest at the bottom. Every figure in
a row was measured in the same run on the same machine as its baseline.

| Column | Meaning |
| --- | --- |
| Date | when the run started (UTC) |
| Benchmark | schedule, send (cap lifted), send@cap (80/s), lateness, sync, webhook; since 2026-12-02 also \`schedule exist\`, \`send@cap 1 s\`, the mixed rows (\`mixed webhook\`, \`mixed visible\`, \`mixed broadcast\`, \`Temporal cost\`), \`… vs BullMQ\` rows (the baseline is BullMQ 5 on a Redis with appendfsync always) and \`(file)\` rows (on the file-backed dev server \`npm start\` runs, WAL + synchronous=normal; rows without it ran on the in-memory one); since 2026-12-03 also \`import\` (CSV rows through \`POST /contacts/import/\`) and \`segment\` (a broadcast to a tag segment) |
| Size | what ran (N requests, recipients, leads, or seconds of load and connections) |
| Result | the product's figure: requests/s accepted, recipients/s at the fake 360Dialog, lateness, contacts/s, CSV rows/s (with the API process's RSS before and at its peak during the upload), webhooks/s |
| Baseline | the same work done by the bare engine on the same machine: \`client.workflow.start\` of a trivial workflow (schedule), the same fan-out shape of no-op activities in a bare workflow (send), a bare multi-row INSERT (sync), a bare \`COPY ... FROM STDIN\` of the same rows (import), the same broadcast to a group of the same size (segment), a bare Koa endpoint (webhook); for send@cap and lateness the configured cap or the target |
| Ratio | Result / Baseline (higher is better; for lateness, mixed and Temporal cost, the target (or BullMQ's p99) / ours; for \`send@cap 1 s vs BullMQ\`, our most sends in a sliding second / BullMQ's, lower is better) |
| Target | the target set for the product ([docs/performance.md](../docs/performance.md#targets)); earlier targets before 2026-12-02 |
| Met | yes / no |
| Latency | per request p50 / p99 (schedule, webhook), or lateness p50 / p99 / max |
| Peak RSS | peak resident memory of the process running API + worker (node) and of the Temporal dev server, during that benchmark |
| Host | cores, CPU model, Node version, 1-minute load average at the start (other processes on a shared machine skew results) |

| Date | Benchmark | Size | Result | Baseline | Ratio | Target | Met | Latency | Peak RSS | Host |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
`;

export function hostText(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim();
  return `${cpus.length} x ${model}, Node ${process.versions.node}, load ${os.loadavg()[0].toFixed(1)}`;
}

const cell = (value: string) => value.replace(/\|/g, '/').replace(/\n/g, ' ');

export function appendResult(startedAt: Date, host: string, row: ResultRow): void {
  if (!existsSync(RESULTS_FILE)) writeFileSync(RESULTS_FILE, HEADER);
  const met = row.met === undefined ? '-' : row.met ? 'yes' : 'no';
  const cells = [
    startedAt.toISOString().slice(0, 16).replace('T', ' '),
    row.bench,
    row.size,
    row.result,
    row.baseline,
    fmtRatio(row.ratio),
    row.target,
    met,
    row.latency ?? '-',
    row.rss ? rssText(row.rss) : '-',
    host,
  ];
  appendFileSync(RESULTS_FILE, `| ${cells.map(cell).join(' | ')} |\n`);
}

/** What a benchmark prints: its figures, the ratio and whether the target is met. */
export function printRow(row: ResultRow): void {
  const met = row.met === undefined ? '' : row.met ? '  [target met]' : '  [TARGET MISSED]';
  console.log(`  result:   ${row.result}`);
  console.log(`  baseline: ${row.baseline}`);
  console.log(`  ratio:    ${fmtRatio(row.ratio)} (target ${row.target})${met}`);
  if (row.latency) console.log(`  latency:  ${row.latency}`);
  if (row.rss) console.log(`  peak RSS: ${rssText(row.rss)}\n  cpu:      ${cpuText(row.rss)}`);
}
