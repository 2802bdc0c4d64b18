import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempHome } from './cli.js';

// Commands that need no running network: the wallet, the network choice, usage errors, completion.

const KEY = `0x${'11'.repeat(32)}`;
const KEY_ADDRESS = '0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A';

describe('confidant wallet', () => {
  it('creates an encrypted wallet, prints its address and never its key, and refuses to overwrite it', async () => {
    const home = tempHome();
    const env = { CONFIDANT_HOME: home, CONFIDANT_WALLET_PASSWORD: 'correct horse' };
    const created = await cli(['--json', 'wallet', 'create'], env);
    expect(created.code).toBe(0);
    const { address } = created.json<{ address: string }>();
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const keystore = JSON.parse(readFileSync(join(home, 'wallet.json'), 'utf8')) as {
      version: number;
      address: string;
      crypto: { kdf: string };
    };
    expect(keystore).toMatchObject({ version: 3, address: address.slice(2).toLowerCase(), crypto: { kdf: 'scrypt' } });
    expect(created.stdout + created.stderr).not.toMatch(/0x[0-9a-fA-F]{64}/);

    const again = await cli(['wallet', 'create'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('a wallet already exists');
    expect(again.stderr).toContain('--force');

    const replaced = await cli(['--json', 'wallet', 'create', '--force'], env);
    expect(replaced.code).toBe(0);
    expect(replaced.json<{ address: string }>().address).not.toBe(address);
  });

  it('imports a key from a file, and shows the address without a password (no network: no balances, and why)', async () => {
    const home = tempHome();
    const keyFile = join(home, 'key.txt');
    writeFileSync(keyFile, `${KEY}\n`);
    const imported = await cli(['--json', 'wallet', 'import', '--private-key-file', keyFile], {
      CONFIDANT_HOME: home,
      CONFIDANT_WALLET_PASSWORD: 'pw-12345678',
    });
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ address: KEY_ADDRESS });

    const shown = await cli(['--json', 'wallet', 'show'], { CONFIDANT_HOME: home });
    expect(shown.code).toBe(0);
    expect(shown.json()).toEqual({ address: KEY_ADDRESS, balances: null });
    expect(shown.stderr).toContain('confidant dev');
  });

  it('refuses a file that holds no key, and an import with no key and no terminal', async () => {
    const home = tempHome();
    const keyFile = join(home, 'key.txt');
    writeFileSync(keyFile, 'not a key');
    const bad = await cli(['wallet', 'import', '--private-key-file', keyFile], {
      CONFIDANT_HOME: home,
      CONFIDANT_WALLET_PASSWORD: 'pw-12345678',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a private key');
    const none = await cli(['--json', 'wallet', 'import'], { CONFIDANT_HOME: home, CONFIDANT_WALLET_PASSWORD: 'pw-12345678' });
    expect(none.code).toBe(2);
    expect(none.json()).toMatchObject({
      error: { message: 'no private key to import', hints: [expect.stringContaining('--private-key-file')], exitCode: 2 },
    });
    expect(existsSync(join(home, 'wallet.json'))).toBe(false);
  });

  it('a wrong password ends with exit 3 and says how to give the right one', async () => {
    const home = tempHome();
    const keyFile = join(home, 'key.txt');
    writeFileSync(keyFile, KEY);
    await cli(['wallet', 'import', '--private-key-file', keyFile], { CONFIDANT_HOME: home, CONFIDANT_WALLET_PASSWORD: 'the right one' });
    // A network file that points nowhere: the wallet is unlocked before anything is sent.
    mkdirSync(join(home, 'networks'));
    writeFileSync(
      join(home, 'networks', 'local.json'),
      JSON.stringify({
        name: 'local',
        chainId: 31337,
        rpcUrl: 'http://127.0.0.1:9',
        apiUrl: 'http://127.0.0.1:9',
        smsUrl: 'http://127.0.0.1:9',
        ipfsApiUrl: 'http://127.0.0.1:9',
        ipfsGatewayUrl: 'http://127.0.0.1:9',
      }),
    );
    const wrong = await cli(['protect', '{"email":"a@b.c"}'], { CONFIDANT_HOME: home, CONFIDANT_WALLET_PASSWORD: 'a wrong one' });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain('wrong wallet password');
    expect(wrong.stderr).toContain('CONFIDANT_WALLET_PASSWORD');
  });

  it('without a wallet, commands that sign say how to get one (exit 3)', async () => {
    const home = tempHome();
    const shown = await cli(['--json', 'wallet', 'show'], { CONFIDANT_HOME: home });
    expect(shown.code).toBe(3);
    expect(shown.json()).toMatchObject({
      error: { name: 'CliError', message: 'no wallet', hints: [expect.stringContaining('confidant wallet create')], exitCode: 3 },
    });
  });
});

describe('confidant network', () => {
  it('lists the presets, which have endpoints, and the current one; `use` changes it', async () => {
    const home = tempHome();
    mkdirSync(join(home, 'networks'));
    writeFileSync(join(home, 'networks', 'local.json'), '{}');
    const listed = await cli(['--json', 'network', 'ls'], { CONFIDANT_HOME: home });
    expect(listed.code).toBe(0);
    const { current, networks } = listed.json<{
      current: string;
      networks: { name: string; configured: boolean; current: boolean; chainId: number | null }[];
    }>();
    expect(current).toBe('local');
    expect(networks.map((n) => n.name)).toEqual(['local', 'arbitrum-sepolia-testnet', 'arbitrum-mainnet']);
    expect(networks.find((n) => n.name === 'local')).toMatchObject({ configured: true, current: true });
    expect(networks.find((n) => n.name === 'arbitrum-mainnet')).toMatchObject({ configured: false, current: false, chainId: 42161 });

    const used = await cli(['network', 'use', 'arbitrum-sepolia-testnet'], { CONFIDANT_HOME: home });
    expect(used.code).toBe(0);
    expect(used.stderr).toContain('has no endpoints yet');
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toEqual({ network: 'arbitrum-sepolia-testnet' });
    const human = await cli(['network', 'ls'], { CONFIDANT_HOME: home });
    expect(human.stdout).toMatch(/^\* arbitrum-sepolia-testnet/m);

    // Commands on a network without endpoints say where to write them.
    const data = await cli(['data', 'ls', '--owner', KEY_ADDRESS], { CONFIDANT_HOME: home });
    expect(data.code).toBe(2);
    expect(data.stderr).toContain('has no endpoints configured');
  });

  it('an unknown network name is a usage error that lists the networks', async () => {
    const home = tempHome();
    const used = await cli(['--json', 'network', 'use', 'moonnet'], { CONFIDANT_HOME: home });
    expect(used.code).toBe(2);
    expect(used.json()).toMatchObject({
      error: { message: 'unknown network "moonnet"', hints: [expect.stringContaining('confidant network ls')] },
    });
    const listed = await cli(['--network', 'moonnet', 'data', 'ls'], { CONFIDANT_HOME: home });
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('unknown network "moonnet"');
    expect(listed.stderr).toContain('confidant network ls');
  });

  it('without the local network running, says to start it', async () => {
    const listed = await cli(['data', 'ls', '--owner', KEY_ADDRESS], { CONFIDANT_HOME: tempHome() });
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('confidant dev');
  });
});

describe('usage', () => {
  it('an unknown command or a bad argument ends with exit 2, as JSON with --json', async () => {
    const unknown = await cli(['--json', 'frobnicate'], { CONFIDANT_HOME: tempHome() });
    expect(unknown.code).toBe(2);
    expect(unknown.json()).toMatchObject({ error: { name: 'UsageError', exitCode: 2 } });
    const badExpiry = await cli(['grant', `0x${'12'.repeat(20)}`, '--app', `0x${'34'.repeat(20)}`, '--expires', 'yesterday'], {
      CONFIDANT_HOME: tempHome(),
    });
    expect(badExpiry.code).toBe(2);
    expect(badExpiry.stderr).toContain('duration like 30m, 12h, 7d');
  });

  it('prints completion scripts built from the command tree', async () => {
    const bash = await cli(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F _confidant confidant');
    expect(bash.stdout).toContain('"wallet create"');
    expect(bash.stdout).toMatch(/"run"\) words="[^"]*--max-price/);
    const zsh = await cli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef confidant/);
    const fish = await cli(['completion', 'fish']);
    expect(fish.code).toBe(2);
  });

  it('--help is fast: no SDK, viem or zod loaded', async () => {
    const started = Date.now();
    const help = await cli(['--help']);
    const elapsed = Date.now() - started;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('protect');
    // Generous for loaded CI machines; measured ~150 ms locally.
    expect(elapsed).toBeLessThan(1500);
  });
});
