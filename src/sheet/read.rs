//! Reading workbooks and csv files into the grid of [`super`], within the
//! limits it documents.

use std::io::{Cursor, Read as _};

use calamine::{Data, DataRef, Reader as _};

use super::{
    Address, Cell, Format, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ENTRY_BYTES, MAX_RATIO, MAX_ROWS,
    MAX_SHEETS, MAX_TOTAL_BYTES, MAX_ZIP_ENTRIES, Row, Sheet, SheetError, Value, Workbook,
};
use crate::date::Date;

/// An xlsx or ods workbook: its zip is measured first, then read.
pub(super) fn zipped(file: &str, bytes: &[u8], format: Format) -> Result<Workbook, SheetError> {
    check_zip(file, bytes, format)?;
    let sheets = match format {
        Format::Xlsx => xlsx(file, bytes)?,
        _ => ods(file, bytes)?,
    };
    Ok(Workbook {
        file_name: file.to_string(),
        format,
        sheets,
    })
}

fn not_a_workbook(file: &str, format: Format) -> SheetError {
    let what = if format == Format::Ods { "ods" } else { "xlsx" };
    SheetError::file(file, format!("is not a readable {what} workbook"))
        .with_help("open it in a spreadsheet program and save it again as .xlsx or .ods")
}

/// Measures every entry of the zip by decompressing it into nothing, with
/// a bound: the sizes a zip declares can lie, the bytes cannot.
fn check_zip(file: &str, bytes: &[u8], format: Format) -> Result<(), SheetError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook(file, format))?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(SheetError::file(
            file,
            format!(
                "holds {} parts, more than the {MAX_ZIP_ENTRIES} a workbook may",
                archive.len()
            ),
        ));
    }
    let mut total: u64 = 0;
    let bomb = || {
        SheetError::file(
            file,
            "expands far beyond its size when unpacked (a decompression bomb?), so it is not read",
        )
        .with_help(format!(
            "a workbook may unpack to {} MB per part and {} MB in all",
            MAX_ENTRY_BYTES / (1024 * 1024),
            MAX_TOTAL_BYTES / (1024 * 1024)
        ))
    };
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|_| not_a_workbook(file, format))?;
        if entry.is_dir() {
            continue;
        }
        let compressed = entry.compressed_size().max(1);
        // What the zip declares is checked first (cheap), then what the
        // bytes really give (declarations can lie).
        let declared = entry.size();
        if declared > MAX_ENTRY_BYTES
            || (declared > 1024 * 1024 && declared / compressed > MAX_RATIO)
        {
            return Err(bomb());
        }
        let mut limited = (&mut entry).take(MAX_ENTRY_BYTES + 1);
        let size = std::io::copy(&mut limited, &mut std::io::sink())
            .map_err(|_| not_a_workbook(file, format))?;
        total = total.saturating_add(size);
        if size > MAX_ENTRY_BYTES
            || total > MAX_TOTAL_BYTES
            || (size > 1024 * 1024 && size / compressed > MAX_RATIO)
        {
            return Err(bomb());
        }
    }
    Ok(())
}

fn xlsx(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    let mut book =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|_| not_a_workbook(file, Format::Xlsx))?;
    let metadata = sheet_list(file, &book)?;
    let mut sheets = Vec::new();
    for (name, hidden) in metadata {
        // Charts and dialog sheets have no cells to read.
        if !book.sheet_names().contains(&name) {
            continue;
        }
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|err| unreadable(file, &name, &err))?;
        let mut grid = Grid::new(file, &name);
        loop {
            let next = reader.next_cell_with_formula().map_err(|err| {
                unreadable(file, &name, &err).with_help(
                    "open it in a spreadsheet program and save it again as .xlsx or .ods",
                )
            })?;
            let Some(cell) = next else { break };
            let address = grid.address(cell.pos)?;
            let value = match (from_ref(cell.value), cell.formula) {
                (Value::Empty, Some(_)) => {
                    return Err(SheetError::file(
                        file,
                        "this cell holds a formula whose value was never calculated",
                    )
                    .in_sheet(&name)
                    .at(address)
                    .with_help(
                        "open the workbook in a spreadsheet program, let it recalculate, and save it; or type the value in",
                    ));
                }
                (value, _) => value,
            };
            grid.push(address, value)?;
        }
        sheets.push(grid.finish(hidden));
    }
    Ok(sheets)
}

fn ods(file: &str, bytes: &[u8]) -> Result<Vec<Sheet>, SheetError> {
    check_ods_extent(file, bytes)?;
    let mut book =
        calamine::Ods::new(Cursor::new(bytes)).map_err(|_| not_a_workbook(file, Format::Ods))?;
    let metadata = sheet_list(file, &book)?;
    let mut sheets = Vec::new();
    for (name, hidden) in metadata {
        let range = book
            .worksheet_range(&name)
            .map_err(|err| unreadable(file, &name, &err))?;
        let mut grid = Grid::new(file, &name);
        let (top, left) = range.start().unwrap_or((0, 0));
        if let Some((bottom, right)) = range.end() {
            grid.address((bottom, right))?;
        }
        for (r, c, data) in range.used_cells() {
            let pos = (
                top.saturating_add(u32::try_from(r).unwrap_or(u32::MAX)),
                left.saturating_add(u32::try_from(c).unwrap_or(u32::MAX)),
            );
            let address = grid.address(pos)?;
            grid.push(address, from_data(data))?;
        }
        sheets.push(grid.finish(hidden));
    }
    Ok(sheets)
}

/// An ods sheet says "this row, 1,000,000 times" in one attribute, and
/// the reader lays out every cell between the first and the last one
/// that holds something: a cell at A1 and one a million rows down would
/// take gigabytes. So the place of the last cell holding something is
/// worked out from the XML first, and a sheet beyond the limits is
/// refused before it is laid out. Empty rows and cells repeated to the
/// end of the sheet (LibreOffice writes those) cost nothing.
fn check_ods_extent(file: &str, bytes: &[u8]) -> Result<(), SheetError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_a_workbook(file, Format::Ods))?;
    let mut xml = Vec::new();
    {
        let Ok(entry) = archive.by_name("content.xml") else {
            return Err(not_a_workbook(file, Format::Ods));
        };
        // Measured by `check_zip` already.
        entry
            .take(MAX_ENTRY_BYTES)
            .read_to_end(&mut xml)
            .map_err(|_| not_a_workbook(file, Format::Ods))?;
    }
    let repeat = |tag: &[u8], name: &[u8]| -> u64 {
        find(tag, name)
            .and_then(|at| {
                let rest = tag.get(at + name.len()..)?;
                let rest = rest
                    .strip_prefix(b"=\"")
                    .or_else(|| rest.strip_prefix(b"='"))?;
                let end = rest.iter().position(|b| !b.is_ascii_digit())?;
                std::str::from_utf8(rest.get(..end)?)
                    .ok()?
                    .parse::<u64>()
                    .ok()
            })
            .unwrap_or(1)
            .max(1)
    };
    let (mut row, mut column) = (0u64, 0u64);
    let (mut last_row, mut last_column) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    let mut sheet = String::new();
    let mut i = 0;
    while let Some(start) = xml
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        let start = i + start;
        let Some(len) = xml
            .get(start..)
            .and_then(|rest| rest.iter().position(|&b| b == b'>'))
        else {
            break;
        };
        let tag = xml.get(start..=start + len).unwrap_or_default();
        i = start + len + 1;
        if tag.starts_with(b"<table:table ") {
            (row, column, last_row, last_column) = (0, 0, 0, 0);
            sheet = find(tag, b"table:name=\"")
                .and_then(|at| {
                    let rest = tag.get(at + 12..)?;
                    let end = rest.iter().position(|&b| b == b'"')?;
                    Some(String::from_utf8_lossy(rest.get(..end)?).into_owned())
                })
                .unwrap_or_default();
        } else if tag.starts_with(b"<table:table-row") {
            row_repeat = repeat(tag, b"table:number-rows-repeated");
            column = 0;
            if tag.ends_with(b"/>") {
                row = row.saturating_add(row_repeat);
            }
        } else if tag.starts_with(b"</table:table-row") {
            row = row.saturating_add(row_repeat);
        } else if tag.starts_with(b"<table:table-cell")
            || tag.starts_with(b"<table:covered-table-cell")
        {
            let columns = repeat(tag, b"table:number-columns-repeated");
            let empty = tag.ends_with(b"/>") && find(tag, b"office:value-type").is_none();
            column = column.saturating_add(columns);
            if !empty {
                last_row = last_row.max(row.saturating_add(row_repeat));
                last_column = last_column.max(column);
                if last_row > u64::from(MAX_ROWS) || last_column > u64::from(MAX_COLUMNS) {
                    Grid::new(file, &sheet).address((
                        u32::try_from(last_row.saturating_sub(1)).unwrap_or(u32::MAX),
                        u32::try_from(last_column.saturating_sub(1)).unwrap_or(u32::MAX),
                    ))?;
                }
            }
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Each sheet's name and whether it is hidden, in the workbook's order:
/// .xlsx and .ods list them alike, and too many is refused before any
/// sheet is read.
fn sheet_list<RS, R>(file: &str, book: &R) -> Result<Vec<(String, bool)>, SheetError>
where
    RS: std::io::Read + std::io::Seek,
    R: calamine::Reader<RS>,
{
    let metadata: Vec<(String, bool)> = book
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect();
    check_sheet_count(file, metadata.len())?;
    Ok(metadata)
}

/// A sheet the reader gave up on, in either format.
fn unreadable(file: &str, sheet: &str, err: &dyn std::fmt::Display) -> SheetError {
    SheetError::file(file, format!("this sheet cannot be read: {}", plain(err))).in_sheet(sheet)
}

fn check_sheet_count(file: &str, count: usize) -> Result<(), SheetError> {
    if count > MAX_SHEETS {
        return Err(SheetError::file(
            file,
            format!("holds {count} sheets, more than the {MAX_SHEETS} a workbook may"),
        ));
    }
    Ok(())
}

/// A library's error in words, without control characters.
fn plain(err: &dyn std::fmt::Display) -> String {
    err.to_string()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(300)
        .collect()
}

/// One sheet being read: rows in order, the limits checked as cells come.
struct Grid<'a> {
    file: &'a str,
    name: &'a str,
    rows: Vec<Row>,
}

impl<'a> Grid<'a> {
    fn new(file: &'a str, name: &'a str) -> Grid<'a> {
        Grid {
            file,
            name,
            rows: Vec::new(),
        }
    }

    /// The 1-based address of a 0-based position, within the limits.
    fn address(&self, (row, column): (u32, u32)) -> Result<Address, SheetError> {
        let address = Address::new(row.saturating_add(1), column.saturating_add(1));
        if address.row > MAX_ROWS {
            return Err(SheetError::file(
                self.file,
                format!("this sheet has more than {MAX_ROWS} rows, the most handoff reads"),
            )
            .in_sheet(self.name)
            .with_help("delete the rows below the data (select them, then Delete Rows), or split the sheet"));
        }
        if address.column > MAX_COLUMNS {
            return Err(SheetError::file(
                self.file,
                format!(
                    "this sheet has more than {MAX_COLUMNS} columns (up to {}), the most handoff reads",
                    Address::column_name(MAX_COLUMNS)
                ),
            )
            .in_sheet(self.name)
            .with_help("delete the columns right of the data"));
        }
        Ok(address)
    }

    fn push(&mut self, address: Address, value: Value) -> Result<(), SheetError> {
        if let Value::Text(text) = &value
            && text.chars().nth(MAX_CELL_CHARS).is_some()
        {
            return Err(SheetError::file(
                self.file,
                format!(
                    "this cell holds more than {MAX_CELL_CHARS} characters, the most a cell may"
                ),
            )
            .in_sheet(self.name)
            .at(address)
            .with_help("shorten the text, or keep the long text in a document and refer to it"));
        }
        if matches!(value, Value::Empty) {
            return Ok(());
        }
        let cell = Cell { address, value };
        // Cells come in order in both formats; one out of order is placed
        // where it belongs all the same.
        let i = match self.rows.last() {
            Some(row) if row.number == address.row => self.rows.len() - 1,
            _ => match self.rows.binary_search_by_key(&address.row, |r| r.number) {
                Ok(i) => i,
                Err(i) => {
                    self.rows.insert(
                        i,
                        Row {
                            number: address.row,
                            cells: Vec::new(),
                        },
                    );
                    i
                }
            },
        };
        if let Some(row) = self.rows.get_mut(i) {
            match row
                .cells
                .binary_search_by_key(&address.column, |c| c.address.column)
            {
                Ok(j) => row.cells[j] = cell,
                Err(j) => row.cells.insert(j, cell),
            }
        }
        Ok(())
    }

    fn finish(self, hidden: bool) -> Sheet {
        Sheet {
            name: self.name.to_string(),
            hidden,
            rows: self.rows,
        }
    }
}

fn text_value(text: &str) -> Value {
    if text.is_empty() {
        Value::Empty
    } else {
        Value::Text(text.to_string())
    }
}

fn from_ref(value: DataRef<'_>) -> Value {
    match value {
        DataRef::Int(n) => Value::Number(n as f64),
        DataRef::Float(n) => Value::Number(n),
        DataRef::String(s) => text_value(&s),
        DataRef::SharedString(s) => text_value(s),
        DataRef::Bool(b) => Value::Bool(b),
        DataRef::DateTime(dt) => serial_date(&dt),
        DataRef::DateTimeIso(s) => iso_date(&s),
        DataRef::DurationIso(s) => Value::Text(s),
        DataRef::Error(e) => Value::Error(e.to_string()),
        DataRef::Empty => Value::Empty,
    }
}

fn from_data(value: &Data) -> Value {
    match value {
        Data::Int(n) => Value::Number(*n as f64),
        Data::Float(n) => Value::Number(*n),
        Data::String(s) => text_value(s),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => serial_date(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
        Data::Empty => Value::Empty,
    }
}

/// The largest serial day read as a date: 9999-12-31.
const MAX_SERIAL: f64 = 2_958_465.0;

/// A date cell saved as a serial number (Excel, and LibreOffice's xlsx).
fn serial_date(dt: &calamine::ExcelDateTime) -> Value {
    let serial = dt.as_f64();
    if dt.is_duration() || !serial.is_finite() || !(1.0..=MAX_SERIAL).contains(&serial) {
        return Value::Number(serial);
    }
    let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
    let day = format!("{y:04}-{m:02}-{d:02}");
    match Date::parse(&day) {
        Some(date) if (hh, mm, ss, ms) == (0, 0, 0, 0) => Value::Date(date),
        Some(_) => Value::Text(format!("{day} {hh:02}:{mm:02}")),
        None => Value::Number(serial),
    }
}

/// A date cell saved as ISO text (ods): `2026-06-05` or
/// `2026-06-05T00:00:00`.
fn iso_date(text: &str) -> Value {
    let (day, time) = text.split_at(text.len().min(10));
    match Date::parse(day) {
        Some(date)
            if time.is_empty()
                || time
                    .trim_start_matches('T')
                    .chars()
                    .all(|c| matches!(c, '0' | ':' | '.')) =>
        {
            Value::Date(date)
        }
        _ => Value::Text(text.replace('T', " ")),
    }
}

/// A csv file: UTF-8 (a BOM is dropped), comma or semicolon separated
/// (Excel in much of Europe saves `;`), RFC 4180 quoting.
pub(super) fn csv(file: &str, bytes: &[u8]) -> Result<Workbook, SheetError> {
    // A csv file has one sheet: its cells are named `file › B2`.
    csv_sheet(file, bytes).map_err(|err| SheetError { sheet: None, ..err })
}

fn csv_sheet(file: &str, bytes: &[u8]) -> Result<Workbook, SheetError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(err) = std::str::from_utf8(bytes) {
        let line = bytes[..err.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        return Err(
            SheetError::file(file, format!("is not UTF-8 text (line {line})"))
                .with_help("save it again as \"CSV UTF-8\""),
        );
    }
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let commas = first_line.iter().filter(|&&b| b == b',').count();
    let semicolons = first_line.iter().filter(|&&b| b == b';').count();
    let delimiter = if semicolons > commas { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let name = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
    let mut grid = Grid::new(file, &name);
    let mut record = csv::ByteRecord::new();
    let mut index: u32 = 0;
    loop {
        let more = reader.read_byte_record(&mut record).map_err(|err| {
            let line = err.position().map_or(0, |p| p.line());
            SheetError::file(file, format!("is not a readable csv file (line {line})"))
        })?;
        if !more {
            break;
        }
        // Rows are numbered as a spreadsheet shows them: by record, so a
        // quoted text over two lines is still one row.
        let row = index;
        index = index.saturating_add(1);
        for (c, field) in record.iter().enumerate() {
            let address = grid.address((row, u32::try_from(c).unwrap_or(u32::MAX)))?;
            let text = String::from_utf8_lossy(field);
            grid.push(address, text_value(&text))?;
        }
    }
    let sheet = grid.finish(false);
    Ok(Workbook {
        file_name: file.to_string(),
        format: Format::Csv,
        sheets: vec![sheet],
    })
}
