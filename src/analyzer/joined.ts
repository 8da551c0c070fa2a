/**
 * Some pieces of a text joined into one, with offsets mapped back. The analyzer parses the
 * statements that matter as one text (one Lezer call instead of one per statement) and
 * reports findings at their offsets in the cell.
 */
export class JoinedText {
  readonly text: string;
  /** Start of each piece in the joined text, and in the original one. */
  private readonly joinedStarts: number[] = [];
  private readonly originalStarts: number[] = [];

  /**
   * `pieces` are [from, to) ranges of `original`, in order and not overlapping. Each piece
   * but the last must end a line (top-level statements do), so every piece starts at
   * column 0 of the joined text as it did in the original.
   */
  constructor(
    original: string,
    pieces: ReadonlyArray<{ from: number; to: number }>
  ) {
    const parts: string[] = [];
    let length = 0;
    for (const p of pieces) {
      this.joinedStarts.push(length);
      this.originalStarts.push(p.from);
      parts.push(original.slice(p.from, p.to));
      length += p.to - p.from;
    }
    this.text = parts.join('');
  }

  /**
   * The original offset of a joined offset. An offset where one piece ends and the next
   * begins is the end of the first when `isEnd` (a range's end), the start of the next
   * otherwise.
   */
  original(offset: number, isEnd: boolean): number {
    const starts = this.joinedStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (isEnd ? starts[mid] < offset : starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return this.originalStarts[lo] + (offset - starts[lo]);
  }
}
