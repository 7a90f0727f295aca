//! The adapter from the spreadsheet reader's workbook to the grid the
//! conversion reads: the one place to change if the reader changes.

use super::grid::{Cell, Matrix, Row, Sheet};
use crate::sheet::{Format, Value, Workbook};

/// The visible sheets of `book` as grids. Hidden sheets are left out:
/// presales answered what the buyer's template showed, and templates hide
/// their lookup lists there.
pub fn matrix(book: &Workbook) -> Matrix {
    let csv = book.format == Format::Csv;
    let sheets = book
        .sheets
        .iter()
        .filter(|s| !s.hidden)
        .map(|s| {
            // The reader leaves out empty rows and bounds their number.
            let height = s.rows.last().map_or(0, |r| r.number as usize);
            let mut rows = vec![Row::default(); height];
            for row in &s.rows {
                let Some(grid_row) = (row.number as usize)
                    .checked_sub(1)
                    .and_then(|r| rows.get_mut(r))
                else {
                    continue;
                };
                for cell in &row.cells {
                    let value = match &cell.value {
                        Value::Empty => Cell::Empty,
                        Value::Text(t) => Cell::Text(t.clone()),
                        Value::Number(n) => Cell::Number(*n),
                        Value::Bool(b) => Cell::Bool(*b),
                        // A date or an error value is read as it shows:
                        // an answer `#N/A` is then an unmapped code.
                        other => Cell::Text(other.as_text().unwrap_or_default()),
                    };
                    if let Some(col) = (cell.address.column as usize).checked_sub(1) {
                        grid_row.set(col, value);
                    }
                }
            }
            Sheet {
                name: (!csv).then(|| s.name.clone()),
                rows,
            }
        })
        .collect();
    Matrix {
        file: book.file_name.clone(),
        sheets,
    }
}
