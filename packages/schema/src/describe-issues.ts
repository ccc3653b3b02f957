/**
 * zod issues in words a person can act on: `email: must be an email address; code: must
 * be 6 digits`. Names the field, never dumps the input: a path part or message a client
 * chose is cut short, so a hostile key can't make the answer huge.
 */
interface Issue {
  readonly path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  readonly message: string;
}

const maxPart = 64;
const maxMessage = 200;

function short(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function describeIssues(issues: readonly Issue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = (issue.path ?? [])
        .map((part) => short(String(typeof part === 'object' ? part.key : part), maxPart))
        .join('.');
      return `${path || 'input'}: ${short(issue.message, maxMessage)}`;
    })
    .join('; ');
}
