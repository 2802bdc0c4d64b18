// The only place the web app reads its environment.

/** Where the marketplace API is and what network it serves (set by `confidant dev` or the deployment). */
export type WebEnv = { apiUrl: string; network: string; simulated: boolean };

export function webEnv(env: Record<string, string | undefined> = process.env): WebEnv {
  return {
    apiUrl: env['CONFIDANT_API_URL'] ?? 'http://127.0.0.1:4000/trpc',
    network: env['CONFIDANT_NETWORK'] ?? 'local',
    // Only a network that says so is trusted to run real enclaves; the local one never does.
    simulated: (env['CONFIDANT_NETWORK'] ?? 'local') === 'local' || env['CONFIDANT_SIMULATED'] === '1',
  };
}

/** Next.js's development server (its runtime needs eval; production never does). */
export const isDevelopment = (): boolean => process.env.NODE_ENV === 'development';
