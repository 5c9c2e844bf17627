export { AbiSession, abiModule, abiVersion, maxPayloadBytes } from './abi-session.ts';
export type { AbiServices, GuestMemory, HostImport } from './abi-session.ts';
export { AbiViolationError } from './payloads.ts';
export { callWithPayload, checkAbiVersion, GuestContractError, providedImports, requiredExports } from './guest-calls.ts';
export type { CacheGetRequest, CacheListRequest, GuestLogRecord, GuestResult, KubeRequest, KubeResponse, LogLevel } from './payloads.ts';
export * from './permissions/index.ts';
