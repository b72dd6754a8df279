import { ApplicationFailure, Context } from '@temporalio/activity';

/**
 * The API now commits a row before its workflow starts (the outbox), so a missing row is
 * gone. Workflows started by an API of the previous release (which started them before its
 * commit) may still look a moment early: for these attempts (about 7 s with the 1 s, doubling
 * database retry) a missing row is retried; after them the workflow ends `missing`.
 */
const ROW_COMMIT_ATTEMPTS = 4;

export function retryWhileRowMayBeCommitting(what: string): void {
  let attempt = Number.POSITIVE_INFINITY;
  try {
    attempt = Context.current().info.attempt;
  } catch {
    // called outside an activity (a unit test): no retry to wait for
  }
  if (attempt < ROW_COMMIT_ATTEMPTS)
    throw ApplicationFailure.retryable(
      `${what} is not in the database (yet); its row may still be committing`,
      'row_not_committed',
    );
}
