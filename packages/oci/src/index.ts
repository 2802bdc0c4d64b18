export { buildImage, type BuildImageParameters, type BuiltImage, type ImageFile, type ImageLayer } from './buildImage.js';
export { canonicalJson } from './canonicalJson.js';
export { type Checksum, checksumOfDigest, type Digest, digestOf, digestOfChecksum, isDigest } from './digest.js';
export {
  ImageBuildError,
  ImageLaunchError,
  type ImageBlob,
  ImageDigestMismatchError,
  ImageManifestInvalidError,
  ImageNotStoredError,
  ImageReferenceError,
  ImageTooLargeError,
  RegistryRequestError,
  type RegistryRequestErrorParameters,
  UnsafeImageEntryError,
} from './errors.js';
export { imageConfigMediaTypes, imageIndexMediaTypes, imageManifestMediaTypes, mediaTypes } from './mediaTypes.js';
export { openImage, type OpenImageParameters } from './openImage.js';
export { type StoredImage } from './parseImage.js';
export { pullImage, type PullImageParameters } from './pullImage.js';
export { pushImage, type PushImageParameters, type PushImageReturnType } from './pushImage.js';
export { formatImageReference, type ImageReference, isRepositoryName, isTag, parseImageReference, registryBaseUrl } from './reference.js';
export type { FetchFunction } from './registryHttp.js';
export {
  type Descriptor,
  descriptorSchema,
  type ImageConfig,
  imageConfigSchema,
  type ImageIndex,
  imageIndexSchema,
  type ImageManifest,
  imageManifestSchema,
} from './schemas.js';
export { unpackImage, type UnpackImageOptions, type UnpackImageReturnType } from './unpackImage.js';
export { APP_DIR, appLaunchOf, buildAppImage, launchArgs, storeBuiltImage, type AppLaunch, type AppRuntime } from './appImage.js';
