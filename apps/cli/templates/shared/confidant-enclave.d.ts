// Types of confidant-enclave.js, the app-side helpers (see that file).
export declare const RESULT_FILE_NAME_MAX_LENGTH: 31;
export declare class ConfidantError extends Error {
  readonly shortMessage: string;
  readonly hint: string | undefined;
}
export type InputFile = { index: number; name: string; path: string };
type Env = Record<string, string | undefined>;
type ValueOf<type extends string> = type extends 'bool' | 'boolean' ? boolean : type extends 'f64' | 'number' ? number : type extends 'i128' ? bigint : type extends 'string' ? string : Uint8Array;
export declare function getArgs(argv?: readonly string[]): string[];
export declare function getInputFiles(env?: Env): InputFile[];
export declare function getRequesterSecret(index: number, env?: Env): string | undefined;
export declare function getAppDeveloperSecret(env?: Env): string | undefined;
export declare class ProtectedData {
  readonly path: string;
  paths(): string[];
  getValue<type extends string>(path: string, type: type): ValueOf<type>;
}
export declare function getProtectedData(env?: Env): ProtectedData;
export declare function hasProtectedData(env?: Env): boolean;
export declare function getValue<type extends string>(path: string, type: type, env?: Env): ValueOf<type>;
export declare function decodeValue<type extends string>(path: string, data: Uint8Array, type: type): ValueOf<type>;
export declare function writeResultFile(name: string, content: string | Uint8Array, env?: Env): string;
export declare function writeComputedJson(computed?: { deterministicOutputPath?: string; callbackData?: `0x${string}`; errorMessage?: string }, env?: Env): string;
