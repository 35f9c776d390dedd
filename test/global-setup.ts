// Builds dist/ once before the tests, so CLI tests run exactly what `isobench` users run.
import { execa } from 'execa';

export default async function setup(): Promise<void> {
  await execa('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
