// The frame of every self-contained HTML page isobench writes: doctype, a CSP that forbids fetching, inline style.

/** Nothing is fetched: images only as data: URIs, styles only inline, no base or form targets. */
export const CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** A page: `title` and `body` are HTML already escaped, each body part one or more lines. */
export function htmlPage(title: string, style: string, body: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A page's header: its heading, then paragraphs given as `[class, html]`. */
export function pageHeader(heading: string, paragraphs: readonly [string, string][]): string {
  return [
    '<header>',
    `<h1>${heading}</h1>`,
    ...paragraphs.map(([c, p]) => `<p class="${c}">${p}</p>`),
    '</header>',
  ].join('\n');
}

/** A section: `<section id><h2>heading</h2>`, each part on its own line(s), `</section>`. */
export function htmlSection(id: string, heading: string, ...parts: string[]): string {
  return [`<section id="${id}"><h2>${heading}</h2>`, ...parts, '</section>'].join('\n');
}
