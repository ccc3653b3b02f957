import { readFileSync } from 'node:fs';
import path from 'node:path';
import { paginateScript, parseFountain } from '@clapper/domain';

/**
 * A feature-length Fountain script made from the test screenplay: its title page, then
 * its body again and again (headings renumbered so every scene is its own) until it
 * prints at least `pages` pages.
 */
export function longScreenplay(pages: number): { text: string; blocks: number; scenes: number; pages: number } {
  const sample = readFileSync(
    path.resolve(import.meta.dirname, '../../../../packages/domain/test-data/the-last-lighthouse.fountain'),
    'utf8',
  );
  const [titlePage = '', ...rest] = sample.split(/\n\n/);
  const body = rest.join('\n\n');
  const parts = [titlePage];
  let round = 0;
  for (;;) {
    round++;
    parts.push(
      body.replace(
        /^((?:INT|EXT|EST|I\/E)[^\n#]*?)(\s*#[^#\n]+#)?$/gm,
        (_, heading: string) => `${heading} - TAKE ${round}`,
      ),
    );
    const text = parts.join('\n\n');
    const blocks = parseFountain(text);
    const printed = paginateScript(blocks);
    if (printed.pages.length >= pages) {
      return {
        text,
        blocks: blocks.length,
        scenes: blocks.filter((block) => block.type === 'scene-heading').length,
        pages: printed.pages.length,
      };
    }
  }
}
