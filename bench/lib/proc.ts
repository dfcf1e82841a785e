// What Linux's /proc says about a child process: peak resident memory and CPU time used.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export interface RssSampler {
  /** Reads once more, stops sampling and returns the peak in bytes (0 if /proc could not be read). */
  stop(): number;
}

function readKb(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // The process is gone or /proc is absent: keep what was seen so far.
  }
}

/** Resident memory of a process right now, in bytes (0 if /proc could not be read). */
export function residentBytes(pid: number): number {
  return readKb(pid, 'VmRSS') * 1024;
}

/**
 * Samples a pid's memory every `intervalMs` until stop(). VmHWM is the kernel's own high-water mark since
 * the process started, so no peak between samples is missed; VmRSS is sampled too in case a kernel does
 * not report VmHWM.
 */
export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let peakKb = 0;
  const read = () => {
    peakKb = Math.max(peakKb, readKb(pid, 'VmHWM'), readKb(pid, 'VmRSS'));
  };
  read();
  const timer = setInterval(read, intervalMs);
  timer.unref();
  return {
    stop() {
      read();
      clearInterval(timer);
      return peakKb * 1024;
    },
  };
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100; // The value on every common Linux build.
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system, all threads) a process has used so far, or undefined without /proc. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}
