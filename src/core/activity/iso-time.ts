// The ISO-8601 text of a log record's time, made once per millisecond: a busy server logs many
// records in the same millisecond, and formatting a Date is a measurable share of logging one.
export class IsoTime {
  private ms = -1;
  private text = '';

  of(ms: number): string {
    if (ms !== this.ms) {
      this.ms = ms;
      this.text = new Date(ms).toISOString();
    }
    return this.text;
  }
}
