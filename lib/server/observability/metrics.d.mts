import type { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolStats } from "@/db/types";

export type AssignmentWriteResult =
  | "written"
  | "unchanged"
  | "dry_run"
  | "rejected"
  | "conflict"
  | "precondition_failed"
  | "forbidden"
  | "not_found"
  | "error";

export declare function getMetrics(): {
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method">;
  inFlight: Gauge;
  assignmentWrites: Counter<"result">;
  assignmentRejections: Counter<"reason">;
  setPoolStats(fn: () => PoolStats | null): void;
  setSyncCounts(fn: () => Promise<Record<string, number>> | null): void;
};
export declare function observeRequest(
  route: string,
  method: string,
  status: number,
  seconds: number,
): void;
export declare function countAssignmentWrite(result: AssignmentWriteResult, reason?: string): void;
export declare function setPoolStats(fn: () => PoolStats | null): void;
export declare function setSyncCounts(fn: () => Promise<Record<string, number>> | null): void;
