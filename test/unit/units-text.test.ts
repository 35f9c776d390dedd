// The ground-floor helpers every layer shares: size parsing (with the callers' own messages) and text.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { memoryFlag } from '../../bench/args.js';
import { ConfigError } from '../../model/errors.js';
import { shellCommand, shellQuote, tail } from '../../lib/text.js';
import { parseSize, sizeOrNull } from '../../lib/sizes.js';

describe('parseSize', () => {
  it('reads binary suffixes in either case, and plain numbers as bytes', () => {
    expect(parseSize('16K')).toBe(16 * 1024);
    expect(parseSize('256m')).toBe(256 * 2 ** 20);
    expect(parseSize('2G')).toBe(2 * 2 ** 30);
    expect(parseSize('1T')).toBe(2 ** 40);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize('0')).toBe(0);
  });

  it('names the bad text', () => {
    for (const bad of ['lots', '', '2GB', '1.5G', '-1', '16B', ' 2G'])
      expect(() => parseSize(bad)).toThrow(`not a size: '${bad}'`);
    expect(sizeOrNull('lots')).toBeNull();
  });

  it('takes the unit of a plain number and the accepted suffixes from the caller', () => {
    expect(parseSize('512', { plain: 'M' })).toBe(512 * 2 ** 20);
    expect(() => parseSize('512K', { suffixes: ['M', 'G'] })).toThrow(/not a size/);
  });
});

describe('--memory', () => {
  it('is MiB, plain or with M/G, and at least 1 MiB', () => {
    expect(memoryFlag('2048')).toBe(2048);
    expect(memoryFlag('512M')).toBe(512);
    expect(memoryFlag('2g')).toBe(2048);
    for (const bad of ['0', '0G', '512K', '1T', 'lots']) {
      expect(() => memoryFlag(bad)).toThrow(ConfigError);
      expect(() => memoryFlag(bad)).toThrow(
        `bad value '${bad}' for --memory: expected MiB or a size such as 512M or 2G`,
      );
    }
  });
});

describe('text', () => {
  it('keeps the last characters of a long text', () => {
    expect(tail('abcdef', 3)).toBe('def');
    expect(tail('abc', 3)).toBe('abc');
    expect(tail('x'.repeat(2500))).toHaveLength(2000);
  });

  it('quotes an argv so a real shell gives it back unchanged', async () => {
    const argv = ['plain', '--time=1', 'a b', "it's", '$(echo no)', '', 'new\nline'];
    expect(shellQuote('--time=1')).toBe('--time=1');
    const r = await execa('sh', ['-c', `printf '%s\\0' ${shellCommand(argv)}`]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(argv);
  });
});
