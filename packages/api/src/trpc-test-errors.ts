import { TRPCClientError } from '@trpc/client';

/** The tRPC error code and message a call failed with; throws if it succeeded. */
export async function failureOf(
  call: Promise<unknown>,
): Promise<{ code: string; message: string; httpStatus: number | undefined }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCClientError) {
      const data = error.data as { code?: string; httpStatus?: number } | undefined;
      return { code: data?.code ?? 'UNKNOWN', message: error.message, httpStatus: data?.httpStatus };
    }
    throw error;
  }
  throw new Error('expected the call to fail, it succeeded');
}
