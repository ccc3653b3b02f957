export { type AccessControl, createAccessControl } from './access-control.ts';
export { ApiError, type ApiErrorCode, apiErrorCodes } from './api-error.ts';
export { type AuthLimits, type AuthService, type User, authLimits, createAuthService } from './auth-service.ts';
export { type ClapperServer, type ClapperServerOptions, createClapperServer } from './http-server.ts';
export { type Logger, createConsoleLogger, createQuietLogger } from './logger.ts';
export { type CapturingMailer, type Mailer, createCapturingMailer, createLogMailer, createSmtpMailer } from './mailer.ts';
export { type ProjectChangedListener, type ProjectEvents, createProjectEvents } from './project-events.ts';
export { type AppRouter, appRouter } from './router.ts';
export { type StartTestServerOptions, type TestServer, startTestServer } from './test-server.ts';
