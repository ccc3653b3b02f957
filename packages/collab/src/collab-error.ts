export const collabErrorCodes = {
  BAD_DOC_NAME: 'BAD_DOC_NAME',
  BAD_MESSAGE: 'BAD_MESSAGE',
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  DOC_TOO_LARGE: 'DOC_TOO_LARGE',
} as const;

export type CollabErrorCode = keyof typeof collabErrorCodes;

export class CollabError extends Error {
  readonly code: CollabErrorCode;

  constructor(code: CollabErrorCode, message: string) {
    super(message);
    this.name = 'CollabError';
    this.code = code;
  }
}
