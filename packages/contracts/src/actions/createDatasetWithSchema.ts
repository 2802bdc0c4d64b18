import { type Address, getAddress, type Hash, type Hex, isAddressEqual, parseAbi, parseEventLogs } from 'viem';
import { type PocoClient, requireWallet } from '../client.js';
import { ContractCallError } from '../errors.js';
import { writeAndWait } from '../internal/write.js';
import { toBytes } from './createApp.js';
import { existingDataset } from './createDataset.js';

/**
 * The part of iExec's DataProtector contract (`IDataProtector`) that registers protected data: the
 * ABI `@iexec/dataprotector` calls, which the local chain's stand-in implements too.
 */
export const dataProtectorAbi = parseAbi([
  'function createDatasetWithSchema(address _datasetOwner, string _datasetName, string _datasetSchema, bytes _datasetMultiaddr, bytes32 _datasetChecksum) returns (address)',
  'event DatasetSchema(address indexed dataset, string schema)',
]);

export type CreateDatasetWithSchemaParameters = {
  /** The DataProtector contract of the network (`NetworkServices.dataProtector`, or the local chain's). */
  dataProtector: Address;
  /** Defaults to the client's account. */
  owner?: Address | undefined;
  name: string;
  /** The schema as iExec's client writes it: `JSON.stringify` of the data's schema. */
  schema: string;
  /** Where the encrypted file lives: binary multiaddr hex (`/p2p/<cid>` form) or a URL as text. */
  multiaddr: string | Hex;
  /** `0x` + sha256 of the encrypted file. */
  checksum: Hex;
};

export type CreateDatasetWithSchemaReturnType = { address: Address; hash: Hash };

/**
 * Registers a protected data through the DataProtector contract, in one transaction: the contract
 * creates the dataset in PoCo's DatasetRegistry (owned by `owner`) and emits `DatasetSchema`, which
 * the DataProtector subgraph (and Confidant's indexer) read. The address is the event's `dataset`.
 *
 * @example
 * const { address } = await createDatasetWithSchema(owner, { dataProtector, name: 'my email', schema: '{"email":"string"}', multiaddr, checksum });
 */
export async function createDatasetWithSchema(
  client: PocoClient,
  parameters: CreateDatasetWithSchemaParameters,
): Promise<CreateDatasetWithSchemaReturnType> {
  const action = 'creating a protected data through the DataProtector contract';
  const wallet = requireWallet(client, action);
  const owner = parameters.owner ?? wallet.walletClient.account.address;
  const multiaddr = toBytes(parameters.multiaddr);
  const { hash, receipt } = await writeAndWait(
    wallet,
    action,
    {
      address: parameters.dataProtector,
      abi: dataProtectorAbi,
      functionName: 'createDatasetWithSchema',
      args: [owner, parameters.name, parameters.schema, multiaddr, parameters.checksum],
    },
    () => existingDataset(client, [owner, parameters.name, multiaddr, parameters.checksum]),
  );
  const event = parseEventLogs({ abi: dataProtectorAbi, eventName: 'DatasetSchema', logs: receipt.logs }).find((log) =>
    isAddressEqual(log.address, parameters.dataProtector),
  );
  if (!event)
    throw new ContractCallError(
      action,
      `transaction ${hash} emitted no DatasetSchema event: is ${parameters.dataProtector} a DataProtector contract of this network?`,
      undefined,
    );
  return { address: getAddress(event.args.dataset), hash };
}
