//! Writing workbooks (xlsx) and csv files from a plain description; the
//! layout (which sheets, which columns) is the caller's.

use rust_xlsxwriter::{Color, DataValidation, ExcelDateTime, Format, FormatBorder, Workbook};

use super::SheetError;
use crate::date::Date;

/// A workbook to write.
#[derive(Debug, Clone, Default)]
pub struct OutBook {
    /// The file name, for messages.
    pub file_name: String,
    pub sheets: Vec<OutSheet>,
}

/// One sheet: a header row of columns, then the rows.
#[derive(Debug, Clone, Default)]
pub struct OutSheet {
    pub name: String,
    /// Hidden from people (the `_handoff` sheet).
    pub hidden: bool,
    /// With a header row, frozen and filtered; without, rows start at 1.
    pub columns: Vec<OutColumn>,
    pub rows: Vec<Vec<OutCell>>,
}

/// A column: its header, how it looks, and what it accepts.
#[derive(Debug, Clone, Default)]
pub struct OutColumn {
    pub header: String,
    pub style: Style,
    /// Width in characters; 0 chooses from the content.
    pub width: f64,
    /// A vocabulary: the cells get a dropdown of these words.
    pub choices: Vec<String>,
    /// Cells are text even when they look like numbers (ids such as
    /// `3.10`), so what people type stays text.
    pub text: bool,
    /// A comment shown on the header.
    pub note: Option<String>,
}

/// How a column's header looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Editable,
    /// Computed by handoff and ignored on import: grey and italic.
    ReadOnly,
}

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum OutCell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// Written as a real date cell shown `yyyy-mm-dd`.
    Date(Date),
}

/// The workbook as xlsx bytes.
pub fn write_xlsx(book: &OutBook) -> Result<Vec<u8>, SheetError> {
    let fail = |err: rust_xlsxwriter::XlsxError| {
        SheetError::file(&book.file_name, format!("cannot be written: {err}"))
    };
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border_bottom(FormatBorder::Thin);
    let read_only = Format::new()
        .set_italic()
        .set_font_color(Color::RGB(0x595959))
        .set_background_color(Color::RGB(0xE7E6E6))
        .set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    let grey = Format::new().set_font_color(Color::RGB(0x595959));
    for out in &book.sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&out.name).map_err(fail)?;
        let start: u32 = if out.columns.is_empty() { 0 } else { 1 };
        for (c, column) in out.columns.iter().enumerate() {
            let col = col_num(c);
            let format = match column.style {
                Style::Editable => &header,
                Style::ReadOnly => &read_only,
            };
            sheet
                .write_string_with_format(0, col, &column.header, format)
                .map_err(fail)?;
            if let Some(note) = &column.note {
                let note = rust_xlsxwriter::Note::new(note).add_author_prefix(false);
                sheet.insert_note(0, col, &note).map_err(fail)?;
            }
            if column.text {
                sheet.set_column_format(col, &text).map_err(fail)?;
            }
            let width = if column.width > 0.0 {
                column.width
            } else {
                auto_width(&column.header, out.rows.iter().filter_map(|r| r.get(c)))
            };
            sheet.set_column_width(col, width).map_err(fail)?;
            if !column.choices.is_empty() {
                // A list over 255 characters cannot be a dropdown in
                // xlsx; such a column is checked on import all the same.
                if let Ok(validation) = DataValidation::new()
                    .allow_list_strings(&column.choices)
                    .and_then(|v| v.set_error_title("Not a valid value"))
                    .and_then(|v| {
                        v.set_error_message(format!("Choose one of: {}", column.choices.join(", ")))
                    })
                {
                    let last = row_num(out.rows.len()).saturating_add(1000).min(1_048_575);
                    sheet
                        .add_data_validation(1, col, last, col, &validation)
                        .map_err(fail)?;
                }
            }
        }
        for (r, row) in out.rows.iter().enumerate() {
            let at = row_num(r).saturating_add(start);
            for (c, cell) in row.iter().enumerate() {
                let col = col_num(c);
                let read_only_column = out
                    .columns
                    .get(c)
                    .is_some_and(|column| column.style == Style::ReadOnly);
                match cell {
                    OutCell::Empty => {}
                    OutCell::Text(value) if read_only_column => {
                        sheet
                            .write_string_with_format(at, col, value, &grey)
                            .map_err(fail)?;
                    }
                    OutCell::Text(value) => {
                        sheet.write_string(at, col, value).map_err(fail)?;
                    }
                    OutCell::Number(value) => {
                        sheet.write_number(at, col, *value).map_err(fail)?;
                    }
                    OutCell::Bool(value) => {
                        sheet.write_boolean(at, col, *value).map_err(fail)?;
                    }
                    OutCell::Date(value) => {
                        let when =
                            ExcelDateTime::parse_from_str(&value.to_string()).map_err(fail)?;
                        sheet
                            .write_datetime_with_format(at, col, &when, &date)
                            .map_err(fail)?;
                    }
                }
            }
        }
        if !out.columns.is_empty() {
            sheet.set_freeze_panes(1, 0).map_err(fail)?;
            let last_col = col_num(out.columns.len().saturating_sub(1));
            sheet
                .autofilter(0, 0, row_num(out.rows.len()), last_col)
                .map_err(fail)?;
        }
        if out.hidden {
            sheet.set_hidden(true);
        }
    }
    workbook.save_to_buffer().map_err(fail)
}

fn col_num(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn row_num(r: usize) -> u32 {
    u32::try_from(r).unwrap_or(u32::MAX)
}

/// Wide enough for the header and most values, never a wall of text.
fn auto_width<'a>(header: &str, cells: impl Iterator<Item = &'a OutCell>) -> f64 {
    let longest = cells
        .map(|cell| match cell {
            OutCell::Text(t) => t.chars().count(),
            OutCell::Date(_) => 10,
            OutCell::Number(_) => 8,
            OutCell::Bool(_) => 5,
            OutCell::Empty => 0,
        })
        .max()
        .unwrap_or(0);
    let chars = longest.max(header.chars().count() + 3).clamp(8, 60);
    chars as f64 + 1.0
}

/// A csv file: UTF-8 with a byte order mark (so Excel on Windows reads
/// accents), comma separated, RFC 4180 quoting, CRLF line ends.
pub fn write_csv(sheet: &OutSheet) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to memory cannot fail.
        if !sheet.columns.is_empty() {
            let _ = writer.write_record(sheet.columns.iter().map(|c| c.header.as_str()));
        }
        for row in &sheet.rows {
            let _ = writer.write_record(row.iter().map(|cell| match cell {
                OutCell::Empty => String::new(),
                OutCell::Text(t) => t.clone(),
                OutCell::Number(n) => super::number_text(*n),
                OutCell::Bool(true) => "TRUE".into(),
                OutCell::Bool(false) => "FALSE".into(),
                OutCell::Date(d) => d.to_string(),
            }));
        }
        let _ = writer.flush();
    }
    out
}
