// Layer rules (docs/architecture.md): imports only go downhill, never up and never in a cycle.
// bench → reports → analysis → {workloads, datasets} → model → lib; bench → runners → model → lib;
// lib/ is the plumbing every layer may use (which, hashing, atomic writes, text and number formatting);
// perf/ and test/ sit on top and may import anything; product code never imports them.
const layer = (name, mayImport) => {
  const all = ['bench', 'reports', 'analysis', 'runners', 'workloads', 'datasets', 'model', 'lib', 'perf', 'test'];
  const banned = all.filter((l) => l !== name && !mayImport.includes(l));
  return {
    name: `${name}-imports-only-below`,
    comment: `${name}/ may import only ${mayImport.length ? mayImport.join(', ') : 'node and npm packages'} (see docs/architecture.md)`,
    severity: 'error',
    from: { path: `^${name}/` },
    to: { path: `^(${banned.join('|')})/` },
  };
};

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    layer('bench', ['reports', 'analysis', 'runners', 'workloads', 'datasets', 'model', 'lib']),
    layer('reports', ['analysis', 'workloads', 'datasets', 'model', 'lib']),
    layer('analysis', ['workloads', 'datasets', 'model', 'lib']),
    layer('runners', ['model', 'lib']),
    layer('workloads', ['model', 'lib']),
    layer('datasets', ['model', 'lib']),
    layer('model', ['lib']),
    layer('lib', []),
    {
      name: 'no-circular',
      comment: 'modules must not import each other in a cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
