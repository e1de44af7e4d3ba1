// A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF. Returns rows with their
// line numbers so errors can point at the line a person can find in their spreadsheet.
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

export function parseCsv(text: string): { rows: CsvRow[]; error: { line: number; message: string } | null } {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0; // spreadsheets often write a BOM
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0]!.trim() === '')) rows.push({ line: rowLine, fields });
      fields = [];
      field = '';
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) return { rows, error: { line: rowLine, message: 'a quoted field is never closed' } };
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    if (!(fields.length === 1 && fields[0]!.trim() === '')) rows.push({ line: rowLine, fields });
  }
  return { rows, error: null };
}
