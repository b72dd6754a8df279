import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes from /proc (0 where /proc is missing or the process is gone). */
function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (100 ticks a second). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Processes this one started, but for the Temporal dev server: the worker, BullMQ's worker, load generators. */
function childPids(temporalPid: number | undefined): number[] {
  try {
    return readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => pid !== temporalPid);
  } catch {
    return [];
  }
}

export interface PeakRss {
  /** This process: the API with its dispatcher and inbox, the fakes, the in-process load clients. */
  node: number;
  /** The Node processes it started, together: the worker (and BullMQ's), forked load generators. */
  children: number;
  /** The Temporal dev server (its SQLite lives in memory). */
  temporal: number;
  /** CPU seconds each used during the benchmark, and its wall seconds: who was busy. */
  cpu?: { node: number; children: number; temporal: number; wall: number };
}

/** Samples RSS every `everyMs` until stopped and keeps the peaks. */
export function watchRss(temporalPid: number | undefined, everyMs = 100): { stop(): PeakRss } {
  const peak: PeakRss = { node: 0, children: 0, temporal: 0 };
  // CPU seconds of each child when first and last seen (one that ends loses at most a sample's worth).
  const childCpu = new Map<number, { first: number; last: number }>();
  const sample = () => {
    peak.node = Math.max(peak.node, process.memoryUsage.rss());
    let children = 0;
    for (const pid of childPids(temporalPid)) {
      children += rssOf(pid);
      const cpu = cpuSecondsOf(pid);
      const seen = childCpu.get(pid);
      if (seen) seen.last = Math.max(seen.last, cpu);
      else childCpu.set(pid, { first: started ? 0 : cpu, last: cpu });
    }
    peak.children = Math.max(peak.children, children);
    if (temporalPid) peak.temporal = Math.max(peak.temporal, rssOf(temporalPid));
  };
  const cpuStart = { node: process.cpuUsage(), temporal: temporalPid ? cpuSecondsOf(temporalPid) : 0, at: Date.now() };
  let started = false;
  sample();
  started = true;
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const used = process.cpuUsage(cpuStart.node);
      const cpu = {
        node: (used.user + used.system) / 1e6,
        children: [...childCpu.values()].reduce((sum, c) => sum + c.last - c.first, 0),
        temporal: temporalPid ? cpuSecondsOf(temporalPid) - cpuStart.temporal : 0,
        wall: (Date.now() - cpuStart.at) / 1000,
      };
      return { ...peak, cpu };
    },
  };
}

export const mb = (bytes: number) => (bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MB` : '-');
export const rssText = (peak: PeakRss) =>
  `node ${mb(peak.node)}, worker and other children ${mb(peak.children)}, temporal ${mb(peak.temporal)}`;
const share = (seconds: number, wall: number) => `${seconds.toFixed(1)} s (${Math.round((seconds / wall) * 100)} %)`;
export const cpuText = ({ cpu }: PeakRss) =>
  cpu
    ? `node ${share(cpu.node, cpu.wall)}, children ${share(cpu.children, cpu.wall)}, temporal ${share(cpu.temporal, cpu.wall)} of a core in ${cpu.wall.toFixed(1)} s`
    : '-';
