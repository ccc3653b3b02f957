/** Server-side only: the web app's configuration, read at request time so a prebuilt app can point anywhere. */
export interface WebConfig {
  serverUrl: string;
}

const defaultServerUrl = 'http://localhost:4000';

export function readWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const raw = env.SERVER_URL?.trim() || defaultServerUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SERVER_URL must be an http(s) URL such as ${defaultServerUrl}, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`SERVER_URL must be an http(s) URL such as ${defaultServerUrl}, got "${raw}"`);
  }
  return { serverUrl: raw.replace(/\/+$/, '') };
}
