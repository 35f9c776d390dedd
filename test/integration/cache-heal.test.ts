// The image, initramfs and PVH kernel caches heal: a damaged entry (edited file, interrupted build) is rebuilt,
// never used, and two processes building the same entry at once leave one valid entry.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildImage, imageEntryProblem, imageTar } from '../../runners/image/build.js';
import { initramfsFor } from '../../runners/vm/initramfs.js';
import { findGuestKernel, hasPvhNote, pvhKernel } from '../../runners/vm/kernel.js';
import { sha256File } from '../../lib/hash.js';
import { which } from '../../lib/which.js';
import { SYSBENCH_IN_IMAGE } from '../../runners/image/files.js';
import { tempDir } from '../helpers/cli.js';
import { alive, childrenNamed } from '../helpers/host.js';
import { titled, unmet } from '../helpers/requires.js';

const BUILD = new URL('../../dist/runners/image/build.js', import.meta.url).href;
const KERNEL = new URL('../../dist/runners/vm/kernel.js', import.meta.url).href;
const INITRAMFS = new URL('../../dist/runners/vm/initramfs.js', import.meta.url).href;

const seen = new WeakMap<object, string>();
/** How many of the child processes have said they wait for the lock so far. */
function waiting(runs: readonly { stdout: Readable | null }[]): number {
  return runs.filter((r) => {
    if (!seen.has(r)) {
      seen.set(r, '');
      r.stdout?.on('data', (d: Buffer) => seen.set(r, `${seen.get(r) ?? ''}${d.toString()}`));
    }
    return /waiting for another process/.test(seen.get(r) ?? '');
  }).length;
}

/** Leftovers of a build: temporary or moved-aside entries. */
function debris(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(tmp|old)-\d+/.test(f));
}

const why = await unmet(['sysbench']);
describe.skipIf(why !== null)(titled('workload image cache', why), () => {
  it('rebuilds an entry whose file was edited or whose build was interrupted, and verifies rootfs.tar', async () => {
    const cache = tempDir();
    const log: string[] = [];
    const image = await buildImage(cache, (l) => log.push(l));
    expect(await imageEntryProblem(image.dir, image.digest)).toBeNull();
    const sysbench = join(image.rootfs, SYSBENCH_IN_IMAGE.slice(1));
    const hostSha = await sha256File((await which('sysbench')) as string);

    // An edited binary: detected, and the next use rebuilds it instead of running it.
    appendFileSync(sysbench, 'tampered');
    expect(await imageEntryProblem(image.dir, image.digest)).toMatch(/does not match its content hash/);
    log.length = 0;
    await buildImage(cache, (l) => log.push(l));
    expect(log.join('\n')).toMatch(/is damaged \(.*does not match its content hash\); rebuilding it/);
    expect(await sha256File(sysbench)).toBe(hostSha);
    expect(await imageEntryProblem(image.dir, image.digest)).toBeNull();

    // An interrupted build (no completion mark): rebuilt.
    rmSync(join(image.dir, 'complete'));
    log.length = 0;
    await buildImage(cache, (l) => log.push(l));
    expect(log.join('\n')).toMatch(/no completion mark/);
    expect(await imageEntryProblem(image.dir, image.digest)).toBeNull();

    // rootfs.tar: truncated → rebuilt to the same bytes.
    const tar = await imageTar(image);
    const tarSha = await sha256File(tar);
    writeFileSync(tar, readFileSync(tar).subarray(0, 1000));
    expect(await imageTar(image)).toBe(tar);
    expect(await sha256File(tar)).toBe(tarSha);
    expect(debris(cache)).toEqual([]);
  });

  it('two processes building the same entry at once leave one valid entry', async () => {
    // The digest does not depend on the cache directory: learn it from a build elsewhere.
    const { digest } = await buildImage(tempDir());
    const cache = tempDir();
    const entry = join(cache, 'images', digest.slice(0, 16));
    mkdirSync(join(cache, 'images'), { recursive: true });
    // Hold the entry's lock so both builders are certainly contending when it is released.
    const holder = execa('flock', ['--exclusive', `${entry}.lock`, 'cat'], { stdin: 'pipe', reject: false });
    for (
      let i = 0;
      i < 100 && (await execa('flock', ['--nonblock', `${entry}.lock`, 'true'], { reject: false })).exitCode === 0;
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    const script =
      `const m = await import(${JSON.stringify(BUILD)}); const i = await m.buildImage(process.argv[1], ` +
      `(l) => console.log(l)); console.log('digest', i.digest);`;
    const runs = [0, 1].map(() => execa('node', ['--input-type=module', '-e', script, cache], { reject: false }));
    // Both wait on the lock (they log it), and nothing is built while it is held.
    for (let i = 0; i < 200 && !existsSync(entry) && waiting(runs) < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(entry)).toBe(false);
    holder.stdin?.end();
    await holder;
    const both = await Promise.all(runs);
    for (const r of both) expect(r.exitCode, r.stderr).toBe(0);
    for (const r of both) expect(r.stdout).toMatch(/waiting for another process building the cache entry/);
    expect(both.filter((r) => /building workload image/.test(r.stdout))).toHaveLength(1);
    for (const r of both) expect(/digest (\w+)/.exec(r.stdout)?.[1]).toBe(digest);
    expect(await imageEntryProblem(entry, digest)).toBeNull();
    expect(debris(cache)).toEqual([]);
  });
});

const whyVm = await unmet(['sysbench', 'guest-kernel']);
describe.skipIf(whyVm !== null)(titled('guest initramfs cache', whyVm), () => {
  it('rebuilds a corrupted or half-written initramfs', async () => {
    const cache = tempDir();
    const image = await buildImage(cache);
    const kernel = await findGuestKernel();
    const log: string[] = [];
    const first = await initramfsFor(image, kernel, cache, (l) => log.push(l));
    const size = readFileSync(first.path).length;
    // The cpio carries the overlay's fresh mtimes, so a rebuild is whole and recorded, not byte-equal.
    const recorded = async (path: string) =>
      (JSON.parse(readFileSync(`${path}.json`, 'utf8')) as { sha256: string }).sha256;
    expect(log.join('\n')).toMatch(/building guest initramfs/);
    // initramfsFor memoises per process: each later use is a new process, as a new run would be.
    const script = `const b = await import(${JSON.stringify(BUILD)}); const k = await import(${JSON.stringify(KERNEL)}); const i = await import(${JSON.stringify(INITRAMFS)});
      const c = process.argv[1]; const r = await i.initramfsFor(await b.buildImage(c), await k.findGuestKernel(), c, (l) => console.log(l)); console.log('path', r.path);`;
    const fresh = async () => {
      const r = await execa('node', ['--input-type=module', '-e', script, cache]);
      return {
        r: { path: /^path (.*)$/m.exec(r.stdout)?.[1] as string },
        lines: r.stdout
          .split('\n')
          .filter((l) => !l.startsWith('path '))
          .join('\n'),
      };
    };
    const intact = await fresh();
    expect(intact.lines).toBe('');
    writeFileSync(first.path, readFileSync(first.path).subarray(0, 4096));
    const healed = await fresh();
    expect(healed.lines).toMatch(/is damaged \(the cpio does not match its content hash\); rebuilding it/);
    expect(readFileSync(healed.r.path).length).toBe(size);
    expect(await sha256File(healed.r.path)).toBe(await recorded(healed.r.path));
    rmSync(`${first.path}.json`);
    const again = await fresh();
    expect(again.lines).toMatch(/no completion record/);
    expect(readFileSync(again.r.path).length).toBe(size);
    expect(await sha256File(again.r.path)).toBe(await recorded(again.r.path));
    expect(debris(cache)).toEqual([]);
  });
});

const whyKernel = await unmet(['guest-kernel']);
describe.skipIf(whyKernel !== null)(titled('PVH kernel cache', whyKernel), () => {
  it('an abort mid-extraction kills the decompressor and rejects; nothing half-written is used later', async () => {
    const cache = tempDir();
    const kernel = await findGuestKernel();
    const abort = new AbortController();
    const outcome = pvhKernel(kernel, cache, abort.signal).then(
      (r) => r,
      (e: unknown) => e,
    );
    // Abort once the decompressor runs and its output is being written (before the rename into place).
    let pids: number[] = [];
    const tmpOf = () =>
      readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('vmlinux.tmp-'));
    for (let i = 0; i < 6000 && pids.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      pids = await childrenNamed(['xz', 'zstd', 'gzip']);
    }
    expect(pids, 'the decompressor never started').not.toEqual([]);
    expect(tmpOf()).not.toEqual([]);
    abort.abort(new Error('test abort'));
    const err = await outcome;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('test abort');
    for (const pid of pids) expect(await alive(pid), `decompressor ${pid} left running`).toBe(false);
    expect(tmpOf()).toEqual([]);
    const dir = readdirSync(join(cache, 'vm'))[0] as string;
    expect(readdirSync(join(cache, 'vm', dir))).toEqual([]);

    // A later use extracts a whole kernel and records its hash; a damaged one is extracted again, not used.
    const whole = await pvhKernel(kernel, cache);
    if (whole.path === null) return; // a kernel without CONFIG_PVH: nothing is cached
    expect(hasPvhNote(readFileSync(whole.path))).toBe(true);
    const sha = await sha256File(whole.path);
    expect(readFileSync(`${whole.path}.sha256`, 'utf8').trim()).toBe(sha);
    writeFileSync(whole.path, readFileSync(whole.path).subarray(0, 1 << 20));
    const again = await pvhKernel(kernel, cache);
    expect(again.path).toBe(whole.path);
    expect(await sha256File(whole.path)).toBe(sha);
    expect(debris(cache)).toEqual([]);
  });
});
