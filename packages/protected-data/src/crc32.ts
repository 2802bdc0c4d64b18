let tables: Uint32Array[] | undefined;

/** Eight lookup tables for the slicing-by-8 method: table k gives the CRC of a byte followed by k zero bytes. */
function makeTables(): Uint32Array[] {
  const base = Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const out = [base];
  for (let k = 1; k < 8; k++) {
    const previous = out[k - 1] as Uint32Array;
    out.push(
      Uint32Array.from({ length: 256 }, (_, n) => ((previous[n] as number) >>> 8) ^ (base[(previous[n] as number) & 0xff] as number)),
    );
  }
  return out;
}

/**
 * CRC-32 (IEEE 802.3), as ZIP stores it; pass the previous result to continue over several chunks.
 *
 * @example
 * const crc = crc32(second, crc32(first));
 */
export function crc32(data: Uint8Array, previous = 0): number {
  tables ??= makeTables();
  const [t0, t1, t2, t3, t4, t5, t6, t7] = tables as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let crc = ~previous >>> 0;
  let i = 0;
  const end8 = data.length - (data.length % 8);
  for (; i < end8; i += 8) {
    const a =
      (crc ^ ((data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24))) >>>
      0;
    crc =
      (t7[a & 0xff] as number) ^
      (t6[(a >>> 8) & 0xff] as number) ^
      (t5[(a >>> 16) & 0xff] as number) ^
      (t4[a >>> 24] as number) ^
      (t3[data[i + 4] as number] as number) ^
      (t2[data[i + 5] as number] as number) ^
      (t1[data[i + 6] as number] as number) ^
      (t0[data[i + 7] as number] as number);
  }
  for (; i < data.length; i++) crc = (t0[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ~crc >>> 0;
}
