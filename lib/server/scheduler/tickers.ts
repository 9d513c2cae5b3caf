// The scheduler's steps (docs/decisions/110-scheduler-in-the-database.md). A ticker does the work that is due at
// `now`: it claims its own due rows with FOR UPDATE SKIP LOCKED inside a transaction, so each step runs exactly once
// across instances and a step cut short (a killed instance) rolls back and is picked up by another. It returns the
// number of steps it did (the loop calls it again while it finds work). A `dueTime` tells the loop when a ticker
// will next have work, so it sleeps until then rather than until the next poll.
import "server-only";
import type { Database } from "@/db/types";
import {
  applyNextDueChangeRequest,
  nextChangeRequestDue,
} from "@/lib/server/change-requests/change-requests";
import { nextRolloutDue, tickRollouts } from "@/lib/server/rollouts/rollouts";

export type Ticker = (db: Database, now: Date) => Promise<number>;
export type DueTime = (db: Database, now: Date) => Promise<Date | null>;

/** Most steps one ticker call does before the loop gives the other tickers their turn. */
const BATCH = 20;

/** Scheduled change requests: each approved request whose `apply_at` has come is applied, or fails with the reason. */
export const applyDueChangeRequests: Ticker = async (database, now) => {
  let steps = 0;
  while (steps < BATCH) {
    const done = await applyNextDueChangeRequest(database, now);
    if (!done) break;
    steps++;
  }
  return steps;
};

/** Rollouts: each running rollout whose next check has come takes its next step (a wave, a gate check). */
export const stepDueRollouts: Ticker = (database, now) => tickRollouts(database, now, BATCH);

export const tickers: Ticker[] = [applyDueChangeRequests, stepDueRollouts];

export const dueTimes: DueTime[] = [
  (database) => nextChangeRequestDue(database),
  (database) => nextRolloutDue(database),
];
