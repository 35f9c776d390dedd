// sha256 of files and strings, hex: the hashes that prove a binary or a cache entry is what it was.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** sha256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** sha256 of a string, hex. */
export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
