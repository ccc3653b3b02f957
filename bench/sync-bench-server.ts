// Child process for the sync benchmark: a real Clapper server over a fresh database, so
// the server gets its own event loop and the clients in the parent don't steal it.
// Prints one JSON line {url, token, projectId, smallProjectId, dbUrl}, then serves until killed.
import { startTestServer } from '@clapper/api';

// (c) opens 50 devices' sockets and a listener as one user from one address: past the
// default per-user cap of 50 (S8), the 51st would be closed with 4029 and (c) would wait forever.
const server = await startTestServer({ poolSize: 20, limits: { maxSocketsPerUser: 1_000 } });
const { token } = await server.signIn('bench@clapper.local');
const big = await server.createProject(token, 'Bench: 1,000 scenes');
const small = await server.createProject(token, 'Bench: nudges');
process.stdout.write(
  `${JSON.stringify({ url: server.url, token, projectId: big.id, smallProjectId: small.id, dbUrl: server.db.url })}\n`,
);

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
