import type { Page } from '@playwright/test';

/** One push the page sent: its `sync.push` input, and which way it went (sync-client C23). */
export interface SentPush {
  via: 'http' | 'socket';
  push: { pushId: string; changes: Record<string, { created: unknown[]; updated: unknown[]; deleted: string[] }> };
}

/**
 * Records every push the page sends, over HTTP (`sync.push`) and over the `/sync` socket
 * (`{"type":"push",…}` frames): a test that counts pushes must see both ways.
 */
export function watchPushes(page: Page): SentPush[] {
  const pushes: SentPush[] = [];
  page.on('request', (request) => {
    if (request.url().includes('sync.push')) pushes.push({ via: 'http', push: JSON.parse(request.postData() ?? '{}') });
  });
  page.on('websocket', (ws) => {
    if (!new URL(ws.url()).pathname.endsWith('/sync')) return;
    ws.on('framesent', ({ payload }) => {
      if (typeof payload !== 'string') return;
      const message = JSON.parse(payload) as { type?: string; push?: SentPush['push'] };
      if (message.type === 'push' && message.push) pushes.push({ via: 'socket', push: message.push });
    });
  });
  return pushes;
}
