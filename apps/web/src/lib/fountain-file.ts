// What a Fountain file is to the browser: the types a file picker offers, and how its
// bytes become text.

/** The file picker's `accept` for Fountain scripts. */
export const fountainFileTypes = '.fountain,.spmd,.txt,text/plain';

/** UTF-8 as Fountain files are; else Windows-1252, as older Windows screenwriting apps saved them. */
export function decodeFountainText(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
