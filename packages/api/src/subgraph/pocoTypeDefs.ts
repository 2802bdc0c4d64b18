import { filterTypeDefs } from './pocoFilter.js';

/**
 * The part of iExec's PoCo subgraph schema (GitHub iExecBlockchainComputing/PoCo-subgraph,
 * schema.graphql) the API's index can answer honestly, with the same type and field names and The
 * Graph's filter and paging conventions. Entities the index does not keep (contributions, events,
 * transfers, the protocol's counters) are left out rather than invented; referenced entities
 * (`App`, `Dataset`, `Account`…) carry their `id` only.
 */
export const pocoTypeDefs = /* GraphQL */ `
  scalar BigInt
  scalar BigDecimal
  scalar Bytes

  enum OrderDirection {
    asc
    desc
  }

  enum TaskStatus {
    UNSET
    ACTIVE
    REVEALING
    COMPLETED
    FAILLED
  }

  enum Deal_orderBy {
    id
    timestamp
    botFirst
    botSize
    category
  }

  enum Task_orderBy {
    id
    index
    status
  }

  type Account {
    id: ID!
  }

  type App {
    id: ID!
  }

  type Dataset {
    id: ID!
  }

  type Workerpool {
    id: ID!
  }

  type Category {
    id: ID!
  }

  type AppOrder {
    id: ID!
    app: App!
    appprice: BigDecimal!
  }

  "A dataset order: of a deal (id is its hash), or of a bulk slice (id is <taskId>-<position>, every field set)."
  type DatasetOrder {
    id: ID!
    dataset: Dataset
    datasetprice: BigDecimal!
    volume: BigInt
    tag: Bytes
    apprestrict: Bytes
    workerpoolrestrict: Bytes
    requesterrestrict: Bytes
    salt: Bytes
    sign: Bytes
  }

  type WorkerpoolOrder {
    id: ID!
    workerpool: Workerpool!
    workerpoolprice: BigDecimal!
  }

  type RequestOrder {
    id: ID!
    requester: Account!
  }

  type Deal {
    id: ID!
    tasks(skip: Int = 0, first: Int = 100, orderBy: Task_orderBy, orderDirection: OrderDirection, where: Task_filter): [Task!]!
    app: App!
    appOwner: Account!
    appPrice: BigDecimal!
    dataset: Dataset
    datasetOwner: Account!
    datasetPrice: BigDecimal!
    workerpool: Workerpool!
    workerpoolOwner: Account!
    workerpoolPrice: BigDecimal!
    trust: BigInt!
    category: Category!
    tag: Bytes!
    requester: Account!
    beneficiary: Account!
    callback: Account!
    params: String!
    startTime: BigInt!
    botFirst: BigInt!
    botSize: BigInt!
    workerStake: BigInt!
    schedulerRewardRatio: BigInt!
    sponsor: Account!
    timestamp: BigInt!
    apporder: AppOrder
    datasetorder: DatasetOrder
    workerpoolorder: WorkerpoolOrder
    requestorder: RequestOrder
    bulk: Bulk
  }

  type Bulk {
    id: ID!
    hash: String!
    slices(skip: Int = 0, first: Int = 100): [BulkSlice!]!
    deal: Deal!
  }

  type BulkSlice {
    id: ID!
    bulk: Bulk!
    hash: String!
    task: Task
    index: BigInt!
    datasets: [Dataset!]!
    datasetOrders: [DatasetOrder!]!
  }

  type Task {
    id: ID!
    status: TaskStatus!
    deal: Deal!
    index: BigInt!
    requester: Account!
    resultDigest: Bytes
    results: String
    resultsCallback: String
    contributionDeadline: BigInt!
    finalDeadline: BigInt!
    bulkSlice: BulkSlice
  }

${filterTypeDefs}
  type Query {
    deal(id: ID!): Deal
    deals(skip: Int = 0, first: Int = 100, orderBy: Deal_orderBy, orderDirection: OrderDirection, where: Deal_filter): [Deal!]!
    task(id: ID!): Task
    tasks(skip: Int = 0, first: Int = 100, orderBy: Task_orderBy, orderDirection: OrderDirection, where: Task_filter): [Task!]!
  }
`;
