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

export interface PeakRss {
  /** This process: API, worker, fakes and the in-process load clients. */
  node: number;
  /** The Temporal dev server (its SQLite lives in memory). */
  temporal: number;
  /** CPU seconds each used during the benchmark, and its wall seconds: who was busy. */
  cpu?: { node: number; temporal: number; wall: number };
}

/** Samples RSS every `everyMs` until stopped and keeps the peaks. */
export function watchRss(temporalPid: number | undefined, everyMs = 100): { stop(): PeakRss } {
  const peak: PeakRss = { node: 0, temporal: 0 };
  const sample = () => {
    peak.node = Math.max(peak.node, process.memoryUsage.rss());
    if (temporalPid) peak.temporal = Math.max(peak.temporal, rssOf(temporalPid));
  };
  const cpuStart = { node: process.cpuUsage(), temporal: temporalPid ? cpuSecondsOf(temporalPid) : 0, at: Date.now() };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const used = process.cpuUsage(cpuStart.node);
      const cpu = {
        node: (used.user + used.system) / 1e6,
        temporal: temporalPid ? cpuSecondsOf(temporalPid) - cpuStart.temporal : 0,
        wall: (Date.now() - cpuStart.at) / 1000,
      };
      return { ...peak, cpu };
    },
  };
}

export const mb = (bytes: number) => (bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MB` : '-');
export const rssText = (peak: PeakRss) => `node ${mb(peak.node)}, temporal ${mb(peak.temporal)}`;
export const cpuText = ({ cpu }: PeakRss) =>
  cpu
    ? `node ${cpu.node.toFixed(1)} s (${Math.round((cpu.node / cpu.wall) * 100)} % of a core), temporal ${cpu.temporal.toFixed(1)} s (${Math.round((cpu.temporal / cpu.wall) * 100)} %) in ${cpu.wall.toFixed(1)} s`
    : '-';
