/** MIME types recognised from their first bytes, as DataProtector's schema extraction does. */
const signatures: { type: string; at?: number; bytes: number[]; also?: { at: number; bytes: number[] } }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46] },
  { type: 'application/zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/bmp', bytes: [0x42, 0x4d] },
  { type: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46], also: { at: 8, bytes: [0x57, 0x45, 0x42, 0x50] } },
  { type: 'audio/x-wav', bytes: [0x52, 0x49, 0x46, 0x46], also: { at: 8, bytes: [0x57, 0x41, 0x56, 0x45] } },
  { type: 'video/x-msvideo', bytes: [0x52, 0x49, 0x46, 0x46], also: { at: 8, bytes: [0x41, 0x56, 0x49, 0x20] } },
  { type: 'audio/midi', bytes: [0x4d, 0x54, 0x68, 0x64] },
  { type: 'audio/mpeg', bytes: [0x49, 0x44, 0x33] },
  { type: 'video/mp4', at: 4, bytes: [0x66, 0x74, 0x79, 0x70] },
  { type: 'video/mpeg', bytes: [0x00, 0x00, 0x01, 0xba] },
  { type: 'application/xml', bytes: [0x3c, 0x3f, 0x78, 0x6d, 0x6c, 0x20] },
];

const matches = (data: Uint8Array, at: number, bytes: number[]) => bytes.every((byte, i) => data[at + i] === byte);

/**
 * The MIME type of some bytes from their magic number; `application/octet-stream` when unknown.
 *
 * @example
 * sniffMimeType(pngBytes); // 'image/png'
 */
export function sniffMimeType(data: Uint8Array): string {
  const found = signatures.find((s) => matches(data, s.at ?? 0, s.bytes) && (!s.also || matches(data, s.also.at, s.also.bytes)));
  return found?.type ?? 'application/octet-stream';
}
