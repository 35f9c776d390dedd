// Appends a Markdown summary to the CI job page ($GITHUB_STEP_SUMMARY), never overwriting what is there.
import { appendFile } from 'node:fs/promises';

/**
 * Appends `markdown` to the file `$GITHUB_STEP_SUMMARY` names, when it is set. A failure to
 * append is reported through `log` and never changes the command's outcome: the job summary is
 * a convenience, the exit code and the files are the result.
 */
export async function appendStepSummary(
  markdown: string,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return;
  try {
    await appendFile(file, markdown.endsWith('\n') ? `${markdown}\n` : `${markdown}\n\n`);
  } catch (err) {
    log(
      `warning: could not append the job summary to $GITHUB_STEP_SUMMARY ('${file}'): ` +
        `${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
