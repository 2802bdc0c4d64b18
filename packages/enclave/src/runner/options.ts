import type { Address, Hex } from 'viem';
import type { Quote, QuoteClaims } from '../attestation.js';
import type { BaseError } from '@confidant/errors';
import type { SealedBox } from '../seal.js';
import type { DatasetInput } from './preCompute.js';
import type { AppExit } from './sandbox.js';
import type { StorageOptions } from './storage.js';

/** What the chain and the request say about one task. */
export type TaskContext = {
  taskId: Hex;
  dealId: Hex;
  /** The app, an OCI image: the runner verifies it again, unpacks it into the task's folder and runs it. */
  app: {
    image: {
      /** The content-addressed image store the worker pulled the image into (`<storeDir>/blobs/sha256/<hex>`). */
      storeDir: string;
      /** The image manifest's digest, `sha256:<hex>`: the app's on-chain checksum as OCI writes it. */
      digest: string;
    };
    /**
     * The app's on-chain checksum (`0x` + the manifest digest's hex): when given, an image with
     * another digest is refused before it is read. The quote claims the verified digest either way.
     */
    expectedMeasurement?: Hex | undefined;
  };
  /** The request's `iexec_args`, split as a shell would. */
  args?: string | undefined;
  /** The request's `iexec_input_files`. */
  inputFiles?: readonly string[] | undefined;
  dataset?: DatasetInput | undefined;
  /** The datasets of a bulk task (each with its key in the SMS's `bulkDatasetKeys`). */
  bulkDatasets?: readonly DatasetInput[] | undefined;
  /** The category's max time, in seconds: the app's time limit. */
  maxTimeSeconds: number;
};

/** Something that signs quotes: `createSimulatedPlatform(rootKey)`, or a TDX platform. */
export type EnclavePlatform = { quote(claims: Omit<QuoteClaims, 'platform'>): Promise<Quote> };

/** What the enclave tells the SMS about itself: public values only. */
export type EnclaveIdentity = { enclaveChallenge: Address; encryptionPublicKey: Hex };

export type TaskPhase = 'pre-compute' | 'app' | 'post-compute';

/** One line of the runner's log. App output comes with phase `app` and its stream. */
export type TaskLogEntry = { phase: TaskPhase; level: 'info' | 'warn' | 'error'; message: string; stream?: 'stdout' | 'stderr' };

export type RunTaskOptions = {
  task: TaskContext;
  /** The worker that will contribute: the result seal binds it. */
  worker: Address;
  platform: EnclavePlatform;
  /**
   * Asks the SMS for the task's secrets with the enclave's quote; resolves to the box the SMS sealed
   * to `encryptionPublicKey` with the task id as context, holding JSON of `taskSecretsSchema`.
   */
  requestSecrets(quote: Quote, enclave: EnclaveIdentity): Promise<SealedBox>;
  /** The SMS's challenge for this task, bound into the quote. Or give `requestChallenge`. */
  nonce?: Hex | undefined;
  requestChallenge?: ((taskId: Hex) => Promise<Hex>) | undefined;
  storage: StorageOptions;
  /** A folder for the task's private folders (each task gets a fresh one, removed at the end). */
  workDir: string;
  /** The app's memory limit (default 1024 MiB); see runApp for what is enforced per runtime. */
  memoryLimitMiB?: number | undefined;
  /** Bytes of app output kept (default 1 MiB, the latest). */
  maxLogBytes?: number | undefined;
  /** Largest download (protected data or input file), default 4 GiB. */
  maxDownloadBytes?: number | undefined;
  logger?: ((entry: TaskLogEntry) => void) | undefined;
  nodePath?: string | undefined;
  pythonPath?: string | undefined;
  fetch?: typeof fetch | undefined;
};

/** What contributeAndFinalize takes from the enclave. */
export type TeeContribution = {
  resultDigest: Hex;
  /** JSON `{"storage":"ipfs","location":"/ipfs/<cid>"}` as hex bytes. */
  results: Hex;
  /** The callback data (callback mode), or `0x`. */
  resultsCallback: Hex;
  enclaveChallenge: Address;
  enclaveSign: Hex;
};

export type TaskTimings = { preComputeMs: number; appMs: number; postComputeMs: number; totalMs: number };

/** How a task ended. A failure names its phase and a readable cause; it never throws. */
export type TaskOutcome =
  | {
      status: 'completed';
      contribution: TeeContribution;
      /** `/ipfs/<cid>` of the result archive (encrypted when the beneficiary asked). */
      resultLocation: string;
      encrypted: boolean;
      /** `0x` + the manifest digest of the image that ran, verified: what the quote claimed. */
      measurement: Hex;
      exit: AppExit;
      logs: string;
      timings: TaskTimings;
    }
  | {
      status: 'failed';
      phase: TaskPhase;
      cause: string;
      error: BaseError;
      /** `0x` + the verified manifest digest; undefined when the image was refused or never verified. */
      measurement: Hex | undefined;
      exit: AppExit | undefined;
      logs: string;
      timings: TaskTimings;
    };
