// Types of confidant-enclave.js, the app-side helpers (see that file).
export declare const RESULT_FILE_NAME_MAX_LENGTH: 31;
export declare class ConfidantError extends Error {
  readonly shortMessage: string;
  readonly hint: string | undefined;
}
export declare class TaskEnvironmentError extends ConfidantError {}
export declare class MissingProtectedDataError extends ConfidantError {}
export declare class MissingValueError extends ConfidantError {
  readonly path: string;
}
export declare class ValueTypeError extends ConfidantError {
  readonly path: string;
}
export declare class ResultFileError extends ConfidantError {}
export type InputFile = { index: number; name: string; path: string };
/** How values are decoded: "borsh" (current data), "legacy" (DataProtector v0), "optimistic" (default: borsh, strings fall back to UTF-8). */
export type ReaderMode = 'optimistic' | 'borsh' | 'legacy';
type Env = Record<string, string | undefined>;
type ValueOf<type extends string> = type extends 'bool' | 'boolean'
  ? boolean
  : type extends 'f64' | 'number'
    ? number
    : type extends 'i128'
      ? bigint
      : type extends 'string'
        ? string
        : Uint8Array;
export declare function getArgs(argv?: readonly string[]): string[];
export declare function getInputFiles(env?: Env): InputFile[];
export declare function getRequesterSecret(index: number, env?: Env): string | undefined;
export declare function getRequesterSecrets(env?: Env): Map<number, string>;
export declare function getAppDeveloperSecret(env?: Env): string | undefined;
export declare class ProtectedData {
  constructor(path: string, mode?: ReaderMode);
  readonly path: string;
  readonly mode: ReaderMode;
  paths(): string[];
  getValue<type extends string>(path: string, type: type): ValueOf<type>;
}
export declare function getProtectedData(env?: Env, mode?: ReaderMode): ProtectedData;
export declare function getBulkProtectedData(env?: Env, mode?: ReaderMode): ProtectedData[];
export declare function hasProtectedData(env?: Env): boolean;
export declare function getValue<type extends string>(path: string, type: type, env?: Env, mode?: ReaderMode): ValueOf<type>;
export declare function decodeValue<type extends string>(path: string, data: Uint8Array, type: type, mode?: ReaderMode): ValueOf<type>;
export declare function writeResultFile(name: string, content: string | Uint8Array, env?: Env): string;
export declare function writeComputedJson(
  computed?: { deterministicOutputPath?: string; callbackData?: `0x${string}`; errorMessage?: string },
  env?: Env,
): string;
