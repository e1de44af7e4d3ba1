import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACTIVITY_CSV_COLUMNS, activityCsvHeader, activityCsvLine, csvCell, csvLine } from '../../../src/core/activity/csv.ts';
import { parseCsv } from '../../../src/core/directory/csv.ts';
import { generatedRecord } from '../../support/activity-records.ts';

/** What a spreadsheet shows for a cell we wrote: the apostrophe guard is expected on formula starts. */
const guarded = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);

test('property: any text cells read back through an RFC 4180 reader, formula starts guarded', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 6 }), (rows) => {
      const text = rows.map((r) => csvLine(r)).join('');
      const parsed = parseCsv(text);
      assert.equal(parsed.error, null);
      assert.deepEqual(parsed.rows.map((r) => r.fields), rows.map((r) => r.map(guarded)));
    }),
  );
});

test('property: no cell we write can start a formula', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (s) => {
      const cell = csvCell(s);
      const shown = cell.startsWith('"') ? cell.slice(1) : cell;
      assert.doesNotMatch(shown, /^[=+\-@\t\r]/);
    }),
  );
});

test('quoting and the formula guard, by example', () => {
  assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvCell('+44 20'), "'+44 20");
  assert.equal(csvCell('-1'), "'-1");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tx'), "'\tx");
  assert.equal(csvCell('\rx'), `"'\rx"`);
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
  assert.equal(csvCell('plain.example'), 'plain.example');
  assert.equal(csvCell(null), '');
  assert.equal(csvLine(['a', null, 'b']), 'a,,b\r\n');
});

test('an activity line has one cell per header column, in the header order', () => {
  assert.equal(activityCsvHeader(), `${ACTIVITY_CSV_COLUMNS.join(',')}\r\n`);
  for (const i of [0, 1, 3, 6]) {
    const r = generatedRecord(i);
    const fields = parseCsv(activityCsvLine({ ...r, id: String(i + 1) })).rows[0]!.fields;
    assert.equal(fields.length, ACTIVITY_CSV_COLUMNS.length);
    const cell = (name: (typeof ACTIVITY_CSV_COLUMNS)[number]) => fields[ACTIVITY_CSV_COLUMNS.indexOf(name)];
    assert.equal(cell('id'), String(i + 1));
    assert.equal(cell('time'), r.time);
    assert.equal(cell('host'), r.name);
    assert.equal(cell('decision'), r.action);
    assert.equal(cell('groups'), r.groups.join('; '));
    assert.equal(cell('ref'), r.ref);
    assert.equal(cell('status'), r.status === undefined ? '' : String(r.status));
    assert.equal(cell('latency_ms'), String(r.latencyMs));
  }
});
