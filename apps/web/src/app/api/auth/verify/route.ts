import { type NextRequest, NextResponse } from 'next/server';
import { z } from 'zod';
import { sessionCookie } from '@/lib/session';
import { verifySignIn } from '@/lib/signin';

/** Checks an injected wallet's signature with the API and keeps the session in an HttpOnly cookie. */
export async function POST(request: NextRequest) {
  const body = z
    .object({ message: z.string().min(1).max(4_096), signature: z.string().regex(/^0x[0-9a-fA-F]+$/) })
    .safeParse(await request.json().catch(() => null));
  if (!body.success) return NextResponse.json({ error: 'Send the signed message and its signature.' }, { status: 400 });
  try {
    const session = await verifySignIn(body.data.message, body.data.signature as `0x${string}`);
    const response = NextResponse.json({ address: session.address });
    response.cookies.set(sessionCookie(session.token, session.expiresAt, request.nextUrl.protocol === 'https:'));
    return response;
  } catch (error) {
    return NextResponse.json({ error: error instanceof Error ? error.message.split('\n')[0] : 'sign-in refused' }, { status: 401 });
  }
}
