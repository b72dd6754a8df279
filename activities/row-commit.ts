import { ApplicationFailure, Context } from '@temporalio/activity';

/**
 * The API commits a message's row only after its workflow has started (so a process killed
 * in between leaves neither), so a workflow's first look can come a moment before the commit.
 * For these attempts (about 7 s with the 1 s, doubling database retry) a missing row is
 * retried; after them it really is gone (its request failed) and the workflow ends `missing`.
 */
const ROW_COMMIT_ATTEMPTS = 4;

export function retryWhileRowMayBeCommitting(what: string): void {
  let attempt = Number.POSITIVE_INFINITY;
  try {
    attempt = Context.current().info.attempt;
  } catch {
    // called outside an activity (a unit test): no retry to wait for
  }
  if (attempt < ROW_COMMIT_ATTEMPTS) throw ApplicationFailure.retryable(`${what} is not in the database (yet); its row may still be committing`, 'row_not_committed');
}
