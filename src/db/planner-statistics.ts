// When to tell the query planner how a table has grown (Store.refreshPlannerStatistics), for a table a
// writer fills from empty while it is used: once the writer has written a first number of rows, and
// again each time its writes have doubled since (decisions 0067 and 0068). Counting only, no I/O.

/** A writer's rows counted, and whether the planner's statistics of the table it fills are due. */
export class StatisticsDue {
  private written = 0;
  private planned = 0;

  constructor(
    /** Rows written before the first refresh. */
    private readonly from: number,
  ) {}

  /** Counts `rows` more written; true when a refresh is due now, which is then counted as done. */
  wrote(rows: number): boolean {
    this.written += rows;
    if (this.written < Math.max(this.from, 2 * this.planned)) return false;
    this.planned = this.written;
    return true;
  }
}
