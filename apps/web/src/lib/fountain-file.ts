// What a Fountain file is to the browser: the types a file picker offers, how its bytes
// become text, and which files are refused. Every way a file enters the app (New project
// from Fountain, Import, a file dropped on the script) reads it through `readFountainFile`.

/** The file picker's `accept` for Fountain scripts. */
export const fountainFileTypes = '.fountain,.spmd,.txt,text/plain';

/** A feature script is ~200 KB of Fountain; anything far larger is not one (and must fit a tab's storage). */
export const maxFountainFileBytes = 2_000_000;

/** UTF-8 as Fountain files are; else Windows-1252, as older Windows screenwriting apps saved them. */
export function decodeFountainText(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Why a file can't be a script (its text when read, else null), or null when it can. */
export function fountainFileProblem(fileName: string, size: number, text: string | null): string | null {
  if (size > maxFountainFileBytes)
    return `${fileName} is ${(size / 1e6).toFixed(1)} MB: a Fountain script is text of at most 2 MB.`;
  if (text === null) return null;
  if (text.includes('\u0000')) return `${fileName} is not a text file: choose a Fountain (.fountain) script.`;
  if (text.trim() === '') return `${fileName} is empty.`;
  return null;
}

/** The file's text; rejects with a message naming the problem when it can't be a script. */
export async function readFountainFile(file: File): Promise<string> {
  const early = fountainFileProblem(file.name, file.size, null);
  if (early) throw new Error(early);
  const text = decodeFountainText(await file.arrayBuffer());
  const problem = fountainFileProblem(file.name, file.size, text);
  if (problem) throw new Error(problem);
  return text;
}
