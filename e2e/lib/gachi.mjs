// Starts the real `gachi` binary (debug build, as CI builds it) on an ephemeral port and
// reads the address it prints. Killed when the test process exits.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GACHI_BIN = process.env.GACHI_BIN || join(root, 'target', 'debug', 'gachi');

const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/**
 * Runs `gachi ...args` and resolves with { child, line } once stdout prints a line matching
 * `marker` (a RegExp); rejects if the process exits first.
 */
export function start(args, marker, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(GACHI_BIN, args, {
      env: { ...process.env, RUST_LOG: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.add(child);
    child.on('exit', (code) => { children.delete(child); reject(new Error(`gachi ${args.join(' ')} exited with ${code}`)); });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(marker);
      if (m) resolve({ child, line, match: m, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** A standalone Kakao sandbox: resolves with { base, app, stop }. */
export async function startSandbox(extraArgs = []) {
  const { match, stop } = await start(['sandbox', '--bind', '127.0.0.1:0', ...extraArgs], /listening on (\S+)/);
  const base = `http://${match[1]}`;
  const app = await (await fetch(`${base}/_admin/app`)).json();
  return { base, app, stop };
}

/** `gachi serve` in sandbox mode: resolves with { base, stop }. */
export async function startServe(extraArgs = [], env = {}) {
  const { match, stop } = await start(['serve', '--bind', '127.0.0.1:0', ...extraArgs], /Gachi on (\S+)/, env);
  return { base: match[1], stop };
}
