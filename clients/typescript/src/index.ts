export { createPorticoClient } from './create-portico-client.js';
export type { LoginResult, PorticoClient, PorticoClientOptions, StoredFile, User } from './create-portico-client.js';
export { PorticoProblem } from './portico-problem.js';
export type { components, operations, paths } from './schema.js';
export type { Tokens } from './session.js';
