//! The only module that talks to the spreadsheet crates (calamine reads,
//! rust_xlsxwriter writes, csv both), the way [`crate::yaml`] owns YAML.
//! Everything else sees a small typed grid, free of their types.
//!
//! # Public API (stable: add, do not change)
//!
//! Reading:
//! - [`read`]`(path) -> Result<Workbook, SheetError>`: an `.xlsx`, `.ods`
//!   or `.csv` file into the grid. A csv file is one sheet named after the
//!   file's stem (`promises.csv` → `promises`).
//! - [`read_bytes`]`(file_name, bytes)`: the same from memory (tests, git).
//! - [`Workbook`] `{ file_name, format, sheets }`; [`Workbook::sheet`]`(name)`
//!   finds a sheet by name, ignoring case; [`Workbook::locate`] names a
//!   cell for messages.
//! - [`Sheet`] `{ name, hidden, rows }`; [`Sheet::row`]`(number)`.
//! - [`Row`] `{ number, cells }`: `number` is 1-based as the spreadsheet
//!   shows it; rows with no value at all are left out, so numbers may
//!   jump. Hidden rows and columns are read like any other. [`Row::get`]`(column)` gives a cell by 1-based column.
//! - [`Cell`] `{ address, value }`, only cells that hold something (an
//!   empty cell is simply absent; [`Row::get`] answers [`Value::Empty`]).
//! - [`Value`]: `Empty | Text(String) | Number(f64) | Bool(bool) |
//!   Date(crate::date::Date) | Error(String)`. A formula gives its cached
//!   value; a formula without one is a [`SheetError`] naming the cell.
//!   [`Value::as_text`] gives a cell as a person reads it (`1.0` → `1`).
//! - [`Address`] `{ row, column }`, both 1-based; displays as `D7`;
//!   [`Address::column_name`] gives `D`.
//! - [`SheetError`] `{ file, sheet, cell, message, help }`, displayed
//!   `file › sheet › D7: message` (`file › D7` for a csv file).
//!
//! Writing (what `handoff export` uses; the layout is the caller's):
//! - [`write_xlsx`]`(&OutBook) -> Result<Vec<u8>, SheetError>` and
//!   [`write_csv`]`(&OutSheet) -> Vec<u8>` (UTF-8 with a BOM, RFC 4180).
//!
//! # Limits (docs/spreadsheets.md, "Limits")
//!
//! A hostile workbook gets a clear error, never a panic, a hang or
//! unbounded memory: every number below is checked before the bytes it
//! guards are used.
//! - the file: at most [`MAX_FILE_BYTES`];
//! - a zip (xlsx, ods): at most [`MAX_ZIP_ENTRIES`] entries; each entry at
//!   most [`MAX_ENTRY_BYTES`] once decompressed (counted while
//!   decompressing, not taken from the zip's own word), all entries
//!   together at most [`MAX_TOTAL_BYTES`], and an entry over 1 MB may not
//!   expand more than [`MAX_RATIO`] times its compressed size;
//! - a sheet: at most [`MAX_ROWS`] rows and [`MAX_COLUMNS`] columns (for
//!   ods, worked out from the XML before calamine lays the sheet out, since
//!   one attribute can repeat a row a million times); a workbook at most
//!   [`MAX_SHEETS`] sheets;
//! - a cell: at most [`MAX_CELL_CHARS`] characters (Excel's own limit).

mod read;
mod write;

use std::fmt;
use std::path::Path;

pub use write::{OutBook, OutCell, OutColumn, OutSheet, Style, write_csv, write_xlsx};

/// The largest workbook or csv file read.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Entries in a workbook's zip.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// One zip entry, decompressed.
pub const MAX_ENTRY_BYTES: u64 = 100 * 1024 * 1024;
/// All zip entries together, decompressed.
pub const MAX_TOTAL_BYTES: u64 = 300 * 1024 * 1024;
/// How much an entry over 1 MB may expand: real sheets expand 5 to 30
/// times (a very repetitive one 300), a decompression bomb of zeros a
/// thousand, about the most deflate can.
pub const MAX_RATIO: u64 = 500;
/// Rows in one sheet: a hundred times any engagement.
pub const MAX_ROWS: u32 = 100_000;
/// Columns in one sheet (`ALL`).
pub const MAX_COLUMNS: u32 = 1_000;
/// Sheets in one workbook.
pub const MAX_SHEETS: usize = 256;
/// Characters in one cell: what Excel itself allows.
pub const MAX_CELL_CHARS: usize = 32_767;

/// What a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
}

/// A whole workbook (or one csv file), as values.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// The file's name without its folder, as messages show it.
    pub file_name: String,
    pub format: Format,
    /// In the workbook's order, hidden sheets included.
    pub sheets: Vec<Sheet>,
}

impl Workbook {
    /// A sheet by name, ignoring case (people retype sheet names).
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name).or_else(|| {
            self.sheets
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case(name))
        })
    }

    /// A cell as messages name it: `file › sheet › D7`, or `file › D7`
    /// for a csv file (it has one sheet).
    pub fn locate(&self, sheet: &str, address: Address) -> String {
        match self.format {
            Format::Csv => format!("{} › {address}", self.file_name),
            _ => format!("{} › {sheet} › {address}", self.file_name),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    /// Hidden or very hidden in the workbook.
    pub hidden: bool,
    /// Rows that hold at least one value, in order.
    pub rows: Vec<Row>,
}

impl Sheet {
    /// The row with this 1-based number, if it holds anything.
    pub fn row(&self, number: u32) -> Option<&Row> {
        self.rows
            .binary_search_by_key(&number, |r| r.number)
            .ok()
            .and_then(|i| self.rows.get(i))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based, as the spreadsheet shows it.
    pub number: u32,
    /// Cells that hold a value, by column.
    pub cells: Vec<Cell>,
}

impl Row {
    /// The value in a 1-based column; [`Value::Empty`] when none.
    pub fn get(&self, column: u32) -> &Value {
        self.cells
            .binary_search_by_key(&column, |c| c.address.column)
            .ok()
            .and_then(|i| self.cells.get(i))
            .map_or(&Value::Empty, |c| &c.value)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub address: Address,
    pub value: Value,
}

/// A cell's value, whatever program saved it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// Whole numbers too: a spreadsheet does not tell `1` from `1.0`.
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date (a serial number in xlsx, an ISO date in
    /// ods) at midnight. A date with a time of day reads as the text
    /// `2026-06-05 14:30`, which no date field accepts.
    Date(crate::date::Date),
    /// A spreadsheet error such as `#DIV/0!` or `#REF!`.
    Error(String),
}

impl Value {
    /// The value as a person reads it in the cell: whole numbers without
    /// `.0`, dates `yyyy-mm-dd`, booleans `TRUE`/`FALSE` as spreadsheets
    /// show them. `None` for an empty cell.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Value::Empty => None,
            Value::Text(t) => Some(t.clone()),
            Value::Number(n) => Some(number_text(*n)),
            Value::Bool(true) => Some("TRUE".into()),
            Value::Bool(false) => Some("FALSE".into()),
            Value::Date(d) => Some(d.to_string()),
            Value::Error(e) => Some(e.clone()),
        }
    }

    /// Empty, or text of only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A number as people write it: `1` for `1.0`, otherwise the shortest
/// spelling that reads back the same (`0.35`, not `0.35000000000000003`).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// A cell's place, both 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    pub row: u32,
    pub column: u32,
}

impl Address {
    pub fn new(row: u32, column: u32) -> Address {
        Address { row, column }
    }

    /// The column's letters: 1 → `A`, 27 → `AA`.
    pub fn column_name(column: u32) -> String {
        let mut n = column;
        let mut letters = Vec::new();
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
            n = (n - 1) / 26;
        }
        letters.iter().rev().collect()
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Address::column_name(self.column), self.row)
    }
}

/// A workbook that cannot be read, or a cell that cannot be used, with
/// where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<Address>,
    pub message: String,
    pub help: Option<String>,
}

impl SheetError {
    pub fn file(file: &str, message: impl Into<String>) -> SheetError {
        SheetError {
            file: file.to_string(),
            sheet: None,
            cell: None,
            message: message.into(),
            help: None,
        }
    }

    #[must_use]
    pub fn in_sheet(mut self, sheet: &str) -> SheetError {
        self.sheet = Some(sheet.to_string());
        self
    }

    #[must_use]
    pub fn at(mut self, cell: Address) -> SheetError {
        self.cell = Some(cell);
        self
    }

    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> SheetError {
        self.help = Some(help.into());
        self
    }

    /// `file › sheet › D7`, as much of it as is known.
    pub fn place(&self) -> String {
        let mut place = self.file.clone();
        if let Some(sheet) = &self.sheet {
            place.push_str(" › ");
            place.push_str(sheet);
        }
        if let Some(cell) = self.cell {
            place.push_str(" › ");
            place.push_str(&cell.to_string());
        }
        place
    }
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place(), self.message)
    }
}

impl std::error::Error for SheetError {}

/// Reads a workbook (`.xlsx`, `.ods`) or a csv file, chosen by the file's
/// extension. Never follows the file into a folder or a device.
pub fn read(path: &Path) -> Result<Workbook, SheetError> {
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let meta = std::fs::metadata(path)
        .map_err(|err| SheetError::file(&file_name, format!("cannot read it: {err}")))?;
    if !meta.is_file() {
        return Err(SheetError::file(
            &file_name,
            "cannot read it: it is not a regular file",
        ));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(&file_name));
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path)
                .map_err(|err| SheetError::file(&file_name, format!("cannot read it: {err}")))?,
            MAX_FILE_BYTES + 1,
        ),
        &mut bytes,
    )
    .map_err(|err| SheetError::file(&file_name, format!("cannot read it: {err}")))?;
    read_bytes(&file_name, &bytes)
}

/// Reads a workbook or csv file from memory; `file_name` picks the format
/// by its extension and names the file in messages.
pub fn read_bytes(file_name: &str, bytes: &[u8]) -> Result<Workbook, SheetError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(file_name));
    }
    let lower = file_name.to_ascii_lowercase();
    let format = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        Format::Xlsx
    } else if lower.ends_with(".ods") {
        Format::Ods
    } else if lower.ends_with(".csv") {
        Format::Csv
    } else {
        return Err(
            SheetError::file(file_name, "is not a workbook handoff reads")
                .with_help("give an .xlsx or .ods workbook, or a .csv file"),
        );
    };
    match format {
        Format::Csv => read::csv(file_name, bytes),
        Format::Xlsx | Format::Ods => read::zipped(file_name, bytes, format),
    }
}

fn too_large(file_name: &str) -> SheetError {
    SheetError::file(
        file_name,
        format!(
            "it is larger than {} MB, the most a workbook may be",
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    )
    .with_help("export only the sheets handoff needs into a new workbook")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_as_spreadsheets_show_them() {
        assert_eq!(Address::new(7, 4).to_string(), "D7");
        assert_eq!(Address::new(1, 26).to_string(), "Z1");
        assert_eq!(Address::new(1, 27).to_string(), "AA1");
        assert_eq!(Address::new(3, 1000).to_string(), "ALL3");
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(number_text(1.0), "1");
        assert_eq!(number_text(0.35), "0.35");
        assert_eq!(number_text(-12.5), "-12.5");
    }

    #[test]
    fn a_written_workbook_reads_back_cell_for_cell() {
        let date = crate::date::Date::parse("2026-06-05");
        let book = OutBook {
            file_name: "t.xlsx".into(),
            sheets: vec![OutSheet {
                name: "Promises".into(),
                hidden: false,
                columns: vec![
                    OutColumn {
                        header: "Id".into(),
                        text: true,
                        ..OutColumn::default()
                    },
                    OutColumn {
                        header: "Due".into(),
                        ..OutColumn::default()
                    },
                ],
                rows: vec![vec![
                    OutCell::Text("3.10".into()),
                    date.map_or(OutCell::Empty, OutCell::Date),
                    OutCell::Number(12.0),
                    OutCell::Bool(true),
                ]],
            }],
        };
        let bytes = write_xlsx(&book).unwrap();
        let read = read_bytes("t.xlsx", &bytes).unwrap();
        let sheet = read.sheet("promises").unwrap();
        let row = sheet.row(2).unwrap();
        assert_eq!(row.get(1), &Value::Text("3.10".into()));
        assert_eq!(row.get(2), &date.map_or(Value::Empty, Value::Date));
        assert_eq!(row.get(3), &Value::Number(12.0));
        assert_eq!(row.get(4), &Value::Bool(true));
        assert_eq!(row.get(5), &Value::Empty);
        assert_eq!(sheet.row(1).unwrap().get(1), &Value::Text("Id".into()));
    }

    #[test]
    fn csv_reads_into_the_same_grid() {
        let read = read_bytes(
            "promises.csv",
            "\u{feff}Id;Title\r\nP-1;\"Caf\u{e9}; \"\"best\"\"\"\r\n".as_bytes(),
        )
        .unwrap();
        let sheet = &read.sheets[0];
        assert_eq!(sheet.name, "promises");
        assert_eq!(
            sheet.row(2).unwrap().get(2),
            &Value::Text("Caf\u{e9}; \"best\"".into())
        );
        assert_eq!(
            read.locate("promises", Address::new(2, 2)),
            "promises.csv › B2"
        );
    }
}
