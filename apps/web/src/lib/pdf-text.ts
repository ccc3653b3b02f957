// pdf-lib's standard fonts (Courier, Helvetica) encode text as WinAnsi: Latin-1 plus these.
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Characters the standard fonts cannot draw become `?` rather than failing the PDF. */
export function encodable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(ch) ? ch : '?';
  }
  return out;
}
