// The npm package is installable offline: every runtime dependency is bundled, dist/ and bin/ are packed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  bundleDependencies: string[];
  files: string[];
  bin: Record<string, string>;
  scripts: Record<string, string>;
};

describe('package.json', () => {
  it('bundles every runtime dependency, so `npm install -g <tarball> --offline` needs no registry', () => {
    expect([...pkg.bundleDependencies].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });
  it(
    'packs the built CLI, bin/setup and the fleet playbook, built and stamped with the revision ' + 'before packing',
    () => {
      expect(pkg.files).toEqual(expect.arrayContaining(['dist/', 'bin/', 'fleet/']));
      expect(pkg.bin['isobench']).toBe('dist/bench/cli.js');
      expect(pkg.scripts['prepack']).toMatch(/npm run build && bash bin\/pack-info/);
      expect(pkg.scripts['postpack']).toMatch(/bin\/pack-info --remove/);
    },
  );
});
