export { type AuthLimits, type User } from './auth-service.ts';
export {
  type ClapperServer,
  type ClapperServerOptions,
  type ServerLimits,
  createClapperServer,
} from './http-server.ts';
export { type CapturingMailer, type Mailer, createCapturingMailer } from './mailer.ts';
export { type AppRouter } from './router.ts';
export { type StartTestServerOptions, type TestServer, startTestServer } from './test-server.ts';
