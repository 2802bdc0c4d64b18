// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.19;

/// A dataset of PoCo's DatasetRegistry: the registry's ERC-721 token, deployed as its own contract.
interface IDataset {}

/// The part of PoCo's DatasetRegistry this contract uses: anyone may create a dataset for any owner.
interface IDatasetRegistry {
    function createDataset(
        address _datasetOwner,
        string calldata _datasetName,
        bytes calldata _datasetMultiaddr,
        bytes32 _datasetChecksum
    ) external returns (IDataset);
}

/// Confidant's local stand-in for iExec's DataProtector: registers a protected data as a dataset
/// of PoCo and publishes its schema in an event, which indexers read to know what the data holds.
/// The parameter names and types match the ABI that iExec's dataprotector client calls, so it works
/// unchanged against the local chain.
contract DataProtector {
    /// The DatasetRegistry every protected data is created in; fixed at deployment.
    IDatasetRegistry public immutable registry;

    /// A protected data was created: `dataset` is its address, `schema` describes its fields (JSON).
    event DatasetSchema(IDataset indexed dataset, string schema);

    constructor(IDatasetRegistry _registry) {
        registry = _registry;
    }

    /// Creates the dataset in the registry, owned by `_datasetOwner` (the registry mints its token
    /// to that address, not to this contract), then emits its schema.
    function createDatasetWithSchema(
        address _datasetOwner,
        string calldata _datasetName,
        string calldata _datasetSchema,
        bytes calldata _datasetMultiaddr,
        bytes32 _datasetChecksum
    ) external returns (IDataset) {
        IDataset dataset = registry.createDataset(_datasetOwner, _datasetName, _datasetMultiaddr, _datasetChecksum);
        emit DatasetSchema(dataset, _datasetSchema);
        return dataset;
    }
}
