import { addressSchema } from '@confidant/contracts/schemas';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import { signInMessageFor } from '@/lib/signin';

/** The SIWE message for an injected wallet to sign. */
export async function POST(request: Request) {
  const body = z.object({ address: addressSchema }).safeParse(await request.json().catch(() => null));
  if (!body.success) return NextResponse.json({ error: 'Give the wallet address (0x and 40 hex digits).' }, { status: 400 });
  try {
    return NextResponse.json({ message: await signInMessageFor(body.data.address as `0x${string}`) });
  } catch {
    return NextResponse.json({ error: 'The marketplace API did not answer; try again in a moment.' }, { status: 502 });
  }
}
