/** Runs the real `opencat` command in a child process. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from './shared.ts'

export const BIN = join(PROJECT_ROOT, 'bin', 'opencat.js')

/** Starts `opencat ARGS` (with extra environment variables); the promise resolves with exit code and output. */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
): {
  child: ChildProcess
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => {
    stdout += d
  })
  child.stderr!.on('data', (d) => {
    stderr += d
  })
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, done }
}

/** Runs `opencat ARGS` to the end. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startCli(args, env).done
}

/** Peak resident memory so far of a running process (VmHWM), in MB; 0 once it has exited. */
export function peakOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return 0
  }
}
