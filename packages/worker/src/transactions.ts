/**
 * A queue that runs one transaction at a time: the worker's account has one nonce sequence, and
 * concurrent sends would race for the same nonce.
 *
 * @example
 * const transaction = createTransactionQueue();
 * await transaction(() => initializeTask(worker, { dealId, index }));
 */
export function createTransactionQueue(): <value>(send: () => Promise<value>) => Promise<value> {
  let tail: Promise<unknown> = Promise.resolve();
  return <value>(send: () => Promise<value>) => {
    const result = tail.then(send);
    tail = result.catch(() => undefined);
    return result;
  };
}
