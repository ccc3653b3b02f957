import { type Server, type Socket, createServer } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createSmtpMailer } from './mailer.ts';

// A minimal SMTP server (RFC 5321 happy path, no TLS): enough to receive what nodemailer sends.
let smtp: Server;
let port: number;
const messages: Array<{ from: string; to: string[]; data: string }> = [];

beforeAll(async () => {
  smtp = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [] as string[], data: '' };
    socket.write('220 test-smtp ready\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          messages.push(current);
          current = { from: '', to: [], data: '' };
          socket.write('250 queued\r\n');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') {
          socket.write('250 test-smtp\r\n');
        } else if (verb === 'MAIL') {
          current.from = line;
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          current.to.push(line);
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
        } else {
          socket.write('250 ok\r\n');
        }
      }
    });
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => smtp.close(resolve));
});

test('[A1] with SMTP_URL the code is mailed over SMTP to the user', async () => {
  const mailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
  try {
    await mailer.sendSignInCode('gaffer@example.com', '093712');
  } finally {
    await mailer.close?.();
  }
  expect(messages).toHaveLength(1);
  const [message] = messages;
  expect(message?.to).toEqual(['RCPT TO:<gaffer@example.com>']);
  expect(message?.data).toContain('093712');
  expect(message?.data).toMatch(/Subject: Your Clapper sign-in code/);
});

test('[A1] an unreachable SMTP server is an error the caller sees, not a hang', async () => {
  const mailer = createSmtpMailer('smtp://127.0.0.1:1');
  await expect(mailer.sendSignInCode('x@example.com', '000000')).rejects.toThrow();
  await mailer.close?.();
});
