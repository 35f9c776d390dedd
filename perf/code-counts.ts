// Prints figures of the code itself (issue 20's spine): `as` casts in product code, lines over the width.
// Usage: node dist/perf/code-counts.js [repo dir]   (duplicate pairs: the library's `duplicates` command)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const repo = process.argv[2] ?? process.cwd();
const PRODUCT = /^(bench|runners|reports|analysis|workloads|datasets|model|lib)\//;
const files = execFileSync('git', ['ls-files', '*.ts'], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);

let casts = 0;
let elementCasts = 0;
for (const f of files.filter((x) => PRODUCT.test(x))) {
  const sf = ts.createSourceFile(f, readFileSync(join(repo, f), 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (n: ts.Node): void => {
    const isConst = ts.isAsExpression(n) && ts.isTypeReferenceNode(n.type) && n.type.typeName.getText(sf) === 'const';
    if (ts.isAsExpression(n) && !isConst) {
      casts++;
      if (ts.isElementAccessExpression(n.expression)) elementCasts++;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

const lengths = (list: readonly string[]) =>
  list.flatMap((f) =>
    readFileSync(join(repo, f), 'utf8')
      .split('\n')
      .map((l) => l.length),
  );
const all = lengths(files);
const product = lengths(files.filter((x) => PRODUCT.test(x)));
const over = (xs: readonly number[], n: number) => xs.filter((l) => l > n).length;
console.log(`product code: ${casts} 'as' casts (not 'as const'), ${elementCasts} of them 'arr[i] as T'`);
console.log(`lines over 120 characters: ${over(all, 120)} in all .ts (${over(product, 120)} in product code)`);
console.log(`lines over 200 characters: ${over(all, 200)} in all .ts; longest ${Math.max(...all)}`);
