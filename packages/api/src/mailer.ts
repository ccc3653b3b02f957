import nodemailer from 'nodemailer';
import type { Logger } from '@clapper/log';

/** Delivers sign-in codes. Injectable so tests read the code a user would get by mail. */
export interface Mailer {
  sendSignInCode(email: string, code: string): Promise<void>;
  close?(): Promise<void> | void;
}

/** Mail through SMTP (`SMTP_URL`, e.g. `smtp://127.0.0.1:2525`). */
export function createSmtpMailer(smtpUrl: string, from = 'Clapper <no-reply@clapper.local>'): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async sendSignInCode(email, code) {
      await transport.sendMail({
        from,
        to: email,
        subject: `Your Clapper sign-in code: ${code}`,
        text: `Your Clapper sign-in code is ${code}.\nIt is valid for 10 minutes and can be used once.\n`,
      });
    },
    close() {
      transport.close();
    },
  };
}

/** Development without SMTP: the code goes to the server log, one line a person can find. */
export function createLogMailer(logger: Logger): Mailer {
  return {
    async sendSignInCode(email, code) {
      logger.info(`sign-in code for ${email}: ${code} (valid 10 minutes)`);
    },
  };
}

export interface CapturingMailer extends Mailer {
  /** The last code sent to `email`, if any. */
  lastCode(email: string): string | undefined;
  readonly sent: ReadonlyArray<{ email: string; code: string }>;
}

/** Keeps every code in memory: for tests. */
export function createCapturingMailer(): CapturingMailer {
  const sent: Array<{ email: string; code: string }> = [];
  return {
    sent,
    async sendSignInCode(email, code) {
      sent.push({ email, code });
    },
    lastCode(email) {
      const normalized = email.trim().toLowerCase();
      for (let i = sent.length - 1; i >= 0; i -= 1) {
        const entry = sent[i];
        if (entry && entry.email === normalized) return entry.code;
      }
      return undefined;
    },
  };
}
