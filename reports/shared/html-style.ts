// The report's inline stylesheet (no external fonts or resources): one CSS line per entry.
export const STYLE = [
  '',
  ':root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-alt: #f6f8fa; --worse: ' +
    '#c62828; --better: #2e7d32; --equiv: #1f5fa8; --inconc: #8a6d00; }',
  '* { box-sizing: border-box; }',
  'body { font: 15px/1.5 "DejaVu Sans", system-ui, sans-serif; color: var(--fg); margin: 0 ' +
    'auto; max-width: 1400px; padding: 24px; }',
  'h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; border-bottom: 1px solid ' +
    'var(--line); padding-bottom: 4px; margin-top: 36px; }',
  'h3 { font-size: 16px; margin: 20px 0 6px; }',
  '.meta, .generated, .note { color: var(--muted); font-size: 13px; margin: 2px 0; }',
  'code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; }',
  'pre { background: var(--bg-alt); padding: 10px; overflow-x: auto; white-space: pre-wrap; ' +
    'word-break: break-all; }',
  'table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }',
  'th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }',
  'th { background: var(--bg-alt); } td.num { text-align: right; font-variant-numeric: ' +
    'tabular-nums; white-space: nowrap; }',
  'tr.headline td { font-weight: 600; }',
  'table.verdicts td[class^="v-"], table.engines td[class^="v-"] { min-width: 12em; }',
  '.answers li { font-size: 16px; margin: 4px 0; }',
  '.v-worse { color: var(--worse); } .v-better { color: var(--better); } .v-equivalent { ' +
    'color: var(--equiv); } .v-inconclusive { color: var(--inconc); } .v-baseline, .v-no-data ' +
    '{ color: var(--muted); }',
  '.s-agrees { color: var(--better); } .s-disagrees { color: var(--worse); } .s-undecided { ' +
    'color: var(--inconc); } .s-not-comparable, .s-method-differs { color: var(--muted); ' +
    'font-weight: 600; }',
  '.src-verified { color: var(--better); font-size: 13px; margin: 2px 0; } .src-cited { ' +
    'color: var(--inconc); font-size: 13px; margin: 2px 0; } .src-unverified { color: ' +
    'var(--worse); font-size: 13px; margin: 2px 0; font-weight: 600; }',
  '.warning-group h3 { margin: 14px 0 2px; } .warning-group .advice { margin: 2px 0 10px ' +
    '24px; } .warnings li { margin: 6px 0; } .warnings li::marker { content: "⚠ "; color: ' +
    'var(--inconc); }',
  'figure { margin: 16px 0; } figure img { max-width: 100%; height: auto; border: 1px solid ' + 'var(--line); }',
  'figcaption { color: var(--muted); font-size: 13px; }',
  '.envs { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; }',
  '.envs table { width: 100%; } .envs td { word-break: break-all; }',
  'details summary { cursor: pointer; color: var(--equiv); }',
  '',
].join('\n');
