import { randomBytes } from 'node:crypto';
import { sessions, siweNonces } from '@confidant/db';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Address } from 'viem';
import { generateSiweNonce, parseSiweMessage } from 'viem/siwe';
import { z } from 'zod';
import { hashToken, SESSION_COOKIE } from '../context.js';
import { SignInRefusedError } from '@confidant/errors/api';
import { hexSchema } from '../schemas.js';
import { ensureAccount } from '../store/accounts.js';
import { publicProcedure, router } from '../trpc.js';

const CLOCK_SKEW_MS = 5 * 60_000;

/** Sign-In with Ethereum (EIP-4361): single-use nonces, verified messages, cookie sessions. */
export const authRouter = router({
  /** A fresh single-use nonce to put in the SIWE message. */
  nonce: publicProcedure.mutation(async ({ ctx }) => {
    const nonce = generateSiweNonce();
    const expiresAt = new Date(Date.now() + ctx.nonceTtlSeconds * 1000);
    await ctx.db.insert(siweNonces).values({ nonce, expiresAt });
    return { nonce, expiresAt, domains: ctx.siweDomains, chainId: ctx.poco.chain.id };
  }),

  /** Checks a signed SIWE message, consumes its nonce and opens a session (cookie + token). */
  verify: publicProcedure
    .input(z.object({ message: z.string().min(1).max(4_096), signature: hexSchema }))
    .mutation(async ({ ctx, input }) => {
      const message = parseSiweMessage(input.message);
      if (!message.address || !message.nonce || !message.domain || !message.chainId || !message.version) {
        throw new SignInRefusedError('the message is not an EIP-4361 message');
      }
      if (!ctx.siweDomains.includes(message.domain))
        throw new SignInRefusedError(`the message is for ${message.domain}, not this marketplace`);
      if (message.chainId !== ctx.poco.chain.id)
        throw new SignInRefusedError(`the message is for chain ${message.chainId}, this marketplace serves chain ${ctx.poco.chain.id}`);
      const now = Date.now();
      if (message.expirationTime && message.expirationTime.getTime() <= now) throw new SignInRefusedError('the message has expired');
      if (message.notBefore && message.notBefore.getTime() > now + CLOCK_SKEW_MS)
        throw new SignInRefusedError('the message is not valid yet');
      if (message.issuedAt && message.issuedAt.getTime() > now + CLOCK_SKEW_MS)
        throw new SignInRefusedError('the message is issued in the future');
      const valid = await ctx.poco.publicClient
        .verifyMessage({ address: message.address, message: input.message, signature: input.signature })
        .catch(() => false);
      if (!valid) throw new SignInRefusedError(`the signature is not from ${message.address}`);
      // Consuming the nonce is one conditional update: two requests with one nonce cannot both pass.
      const address = message.address.toLowerCase() as Address;
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now + ctx.sessionTtlSeconds * 1000);
      await ctx.db.transaction(async (tx) => {
        const consumed = await tx
          .update(siweNonces)
          .set({ usedAt: new Date() })
          .where(and(eq(siweNonces.nonce, message.nonce as string), isNull(siweNonces.usedAt), gt(siweNonces.expiresAt, new Date())))
          .returning({ nonce: siweNonces.nonce });
        if (consumed.length === 0) throw new SignInRefusedError('the nonce is unknown, expired or already used');
        await tx.insert(sessions).values({ tokenHash: hashToken(token), address, expiresAt });
        await ensureAccount(tx, address, { signedIn: true });
      });
      ctx.setCookie(
        `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${ctx.sessionTtlSeconds}${ctx.secureCookies ? '; Secure' : ''}`,
      );
      return { address, expiresAt, token };
    }),

  /** The signed-in account, or null. */
  session: publicProcedure.query(async ({ ctx }) => (await ctx.session()) ?? null),

  /** Ends the current session. */
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await ctx.db.delete(sessions).where(eq(sessions.tokenHash, hashToken(ctx.sessionToken)));
    ctx.setCookie(`${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`);
    return { signedOut: true };
  }),
});
