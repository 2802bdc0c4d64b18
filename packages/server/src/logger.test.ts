import { describe, expect, it } from 'vitest';
import { createLineLogger, REDACTED, redact, silentLogger } from './logger.js';

const signature = `0x${'a1'.repeat(65)}`;
const privateKey = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const taskId = `0x${'12'.repeat(32)}`;
const address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const pem = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

describe('redact', () => {
  it('drops the values of headers, fields and parameters named like credentials', () => {
    expect(redact(`authorization: ${signature} x-expires-at: 1700000000`)).toBe(`authorization: ${REDACTED} x-expires-at: 1700000000`);
    expect(redact('Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig, next')).toBe(`Authorization: ${REDACTED}, next`);
    expect(redact(`{"privateKey":"${privateKey}","account":"${address}"}`)).toBe(`{"privateKey":"${REDACTED}","account":"${address}"}`);
    expect(redact('{"requesterSecrets":{"1":"hunter2"},"volume":1}')).toBe(`{"requesterSecrets":${REDACTED},"volume":1}`);
    expect(redact('SMS_MASTER_KEY=c2VjcmV0IGtleQ== WORKER_KEY=0xabc mnemonic="test test junk"')).toBe(
      `SMS_MASTER_KEY=${REDACTED} WORKER_KEY=${REDACTED} mnemonic="${REDACTED}"`,
    );
    expect(redact('/tasks?x-api-key=k3y&token=t0k&page=2')).toBe(`/tasks?x-api-key=${REDACTED}&token=${REDACTED}&page=2`);
    expect(redact("set-cookie: session=abc; password:'p\\'w' secret = s3")).toBe(
      `set-cookie: ${REDACTED}; password:'${REDACTED}' secret = ${REDACTED}`,
    );
  });

  it('drops 0x-hex longer than 64 digits, PEM blocks (even cut short) and passwords in URLs', () => {
    expect(redact(`sealed ${signature} end`)).toBe(`sealed 0x${REDACTED} end`);
    expect(redact(`key material: ${pem} after`)).toBe(`key material: ${REDACTED} PEM block after`);
    expect(redact('{"pem":"-----BEGIN PUBLIC KEY-----\\nMIIBIjANBgkq')).toBe(`{"pem":"${REDACTED} PEM block`);
    expect(redact('DATABASE_URL=postgres://confidant:s3cr3t@127.0.0.1:5432/db')).toBe(
      `DATABASE_URL=postgres://confidant:${REDACTED}@127.0.0.1:5432/db`,
    );
  });

  it('keeps what the services log: routes, statuses, error names, ids, addresses, hashes', () => {
    const lines = [
      'sms: POST /secrets/web3 401 WrongSignerError 3ms',
      `sms: tee session for task ${taskId}, worker ${address}, enclave ${address}: released the key of dataset ${address}`,
      'sms: POST /secrets/web3 failed: SecretTooLargeError: the secret is larger than 4096 bytes',
      `worker: task ${taskId} attempt 1 started`,
      'GET /secrets/web2?ownerAddress=0x1&secretName=token',
      'Confidant worker on http://127.0.0.1:13400: workerpool 0xabc, worker 0xdef (local, PGlite in .data/worker)',
    ];
    for (const line of lines) expect(redact(line)).toBe(line);
  });

  it('is idempotent', () => {
    const once = redact(`authorization: ${signature} ${pem} {"token":"x"} ${signature}`);
    expect(redact(once)).toBe(once);
  });
});

describe('createLineLogger', () => {
  it('never lets a secret given to it come out, whatever the sink', () => {
    const out: string[] = [];
    const logger = createLineLogger({ info: (line) => out.push(line), error: (line) => out.push(line) });
    const secrets = [
      signature,
      privateKey,
      'hunter2',
      'eyJhbGciOi.eyJzdWIi.sig',
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
      's3cr3t',
    ];
    logger.info(`push refused: authorization=${signature} for task ${taskId}`);
    logger.error(`failed with {"privateKey":"${privateKey}","requesterSecrets":{"1":"hunter2"}}`);
    logger.info('GET /tasks with Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig');
    logger.error(`a key: ${pem}`);
    logger.info('connecting to postgres://confidant:s3cr3t@db:5432/confidant');
    expect(out).toHaveLength(5);
    for (const secret of secrets) expect(out.join('\n')).not.toContain(secret);
    expect(out[0]).toBe(`push refused: authorization=${REDACTED} for task ${taskId}`);
  });

  it('drops the lines of a missing sink; silentLogger writes nothing', () => {
    const out: string[] = [];
    const errorsOnly = createLineLogger({ error: (line) => out.push(line) });
    errorsOnly.info('ignored');
    errorsOnly.error('kept');
    silentLogger.info('nothing');
    silentLogger.error('nothing');
    expect(out).toEqual(['kept']);
  });

  it("keeps an object sink's methods bound", () => {
    const sink = {
      lines: [] as string[],
      info(line: string) {
        this.lines.push(line);
      },
      error(line: string) {
        this.lines.push(line);
      },
    };
    createLineLogger(sink).info('hello');
    expect(sink.lines).toEqual(['hello']);
  });
});
