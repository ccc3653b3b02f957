// How the browser tests and the browser benchmarks launch Debian's Chromium.

export const chromiumExecutable = '/usr/bin/chromium';

/**
 * No sandbox (containers), no GPU, nothing fetched in the background; and no WebUI
 * popups for the address bar. Chromium 156 builds them (the omnibox popup and its
 * AI-mode compose plate, each a WebUI page in a renderer of its own) for every new
 * window: a new window cost 1.4 s of CPU with them and 0.2 s without (measured
 * 2026-12-03). A benchmark opens a new window just as it opens the app, so on 2 cores
 * that work ran alongside the measured open: the board's reopen, traced, had a "WebUI
 * Top Renderer" busy for 1.1 s of its 0.6-0.9 s. A user's window has long had its
 * popup by the time they open the app, and a headless test has no address bar to use.
 */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxFullPopup,WebUIOmniboxAimPopup',
];
