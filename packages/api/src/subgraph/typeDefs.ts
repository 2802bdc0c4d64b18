/**
 * The part of iExec's DataProtector subgraph schema (GitHub iExecBlockchainComputing/dataprotector-sdk,
 * packages/subgraph/schema.graphql) that `@iexec/dataprotector` queries, with The Graph's filter and
 * paging conventions.
 */
export const typeDefs = /* GraphQL */ `
  scalar BigInt
  scalar Bytes

  enum OrderDirection {
    asc
    desc
  }

  enum ProtectedData_orderBy {
    id
    name
    creationTimestamp
    transactionHash
  }

  type Account {
    id: Bytes!
  }

  "One field of a protected data: id is path:type (path dotted for nested fields)."
  type SchemaEntry {
    id: String!
    path: String!
    type: String!
  }

  type ProtectedData {
    id: Bytes!
    name: String!
    owner: Account!
    schema: [SchemaEntry!]!
    creationTimestamp: BigInt!
    multiaddr: Bytes!
    checksum: Bytes!
    transactionHash: Bytes!
    blockNumber: BigInt!
  }

  input ProtectedData_filter {
    id: Bytes
    id_not: Bytes
    id_in: [Bytes!]
    id_not_in: [Bytes!]
    owner: String
    owner_not: String
    owner_in: [String!]
    name: String
    name_contains: String
    creationTimestamp: BigInt
    creationTimestamp_gt: BigInt
    creationTimestamp_gte: BigInt
    creationTimestamp_lt: BigInt
    creationTimestamp_lte: BigInt
    schema_contains: [String!]
    transactionHash: Bytes
    transactionHash_not: Bytes
    transactionHash_in: [Bytes!]
    and: [ProtectedData_filter]
    or: [ProtectedData_filter]
  }

  type Query {
    protectedData(id: ID!): ProtectedData
    protectedDatas(
      skip: Int = 0
      first: Int = 100
      orderBy: ProtectedData_orderBy
      orderDirection: OrderDirection
      where: ProtectedData_filter
    ): [ProtectedData!]!
  }
`;
