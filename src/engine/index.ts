/**
 * The engine's public surface: what the planner lowers SQL to and what the server wires up.
 */
export type { Batch, Change, Row } from './batch.js';
export { BatchBuilder, consolidate, negate } from './batch-builder.js';
export type { InputKind, KeyFn, Operator, RowFn, StepContext } from './operator.js';
export { FilterOp, MapOp, UnionAllOp, NegateOp, ConsolidateOp } from './ops/basic.js';
export { JoinOp, type JoinKind, type JoinSpec } from './ops/join.js';
export { SemiJoinOp, type SemiJoinSpec } from './ops/semijoin.js';
export { AggregateOp, type AggregateFn, type AggregateOpSpec, type AggregateSpec, type ArgKind } from './ops/aggregate.js';
export { DistinctOp, DistinctOnOp, type DistinctOnSpec } from './ops/distinct.js';
export { TopKOp, type TopKSpec } from './ops/topk.js';
export { SetOp, type SetOpSpec } from './ops/setop.js';
export { TemporalFilterOp, type ValidityInterval } from './ops/temporal-filter.js';
export { Arrangement, type ChangeListener, type CycleInfo } from './arrangement.js';
export { Dataflow, InputNode, Node, type CycleListener, type InputTableKind } from './dataflow.js';
export { Scheduler, type SchedulerOptions } from './scheduler.js';
export { evaluateOnce } from './evaluate.js';
export { followChanges, type ChangeDelivery, type ChangeFeedListener, type FollowOptions } from './change-feed.js';
