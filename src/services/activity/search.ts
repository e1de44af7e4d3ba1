// Searching and exporting the stored activity log. Both page through the same keyset query, newest
// first; export reads page after page and yields CSV text per page, so memory stays bounded by one
// page however many rows match.
import { encodeCursor } from '../../core/activity/cursor.ts';
import { activityCsvHeader, activityCsvLine } from '../../core/activity/csv.ts';
import { parseActivitySearch, type ActivityPage, type ActivitySearch, type ActivitySearchInput } from '../../core/activity/query.ts';
import type { ActivityRepository } from '../ports.ts';

/** Rows read per query while exporting (larger than the API's page: fewer round trips). */
export const EXPORT_PAGE_ROWS = 2000;

/**
 * One page of a school's activity. `input` comes from the user (an HTTP query): it is validated here
 * (ACTIVITY_QUERY_INVALID, ACTIVITY_CURSOR_INVALID). The caller has already checked the account
 * may see `schoolId`.
 */
export async function searchActivity(repository: ActivityRepository, schoolId: string, input: ActivitySearchInput): Promise<ActivityPage> {
  const search = parseActivitySearch(schoolId, input);
  const page = await repository.search(search);
  return { entries: page.entries, next: page.next === null ? null : encodeCursor(page.next) };
}

/**
 * Every entry matching the filters of `input` (its limit is ignored; its cursor, if any, is where
 * the export starts), as CSV text: the header, then one chunk per page of rows. Validation errors
 * are thrown before the first chunk, so a caller can still answer with an error status.
 */
export function exportActivityCsv(repository: ActivityRepository, schoolId: string, input: ActivitySearchInput, pageRows = EXPORT_PAGE_ROWS): AsyncIterable<string> {
  const parsed = parseActivitySearch(schoolId, { ...input, limit: null });
  const first: ActivitySearch = { ...parsed, limit: pageRows };
  return {
    async *[Symbol.asyncIterator]() {
      yield activityCsvHeader();
      let search = first;
      for (;;) {
        const page = await repository.search(search);
        let text = '';
        for (const e of page.entries) text += activityCsvLine(e);
        if (text !== '') yield text;
        if (page.next === null) return;
        search = { ...search, after: page.next };
      }
    },
  };
}
