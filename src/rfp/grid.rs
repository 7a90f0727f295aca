//! The matrix as the conversion reads it: sheets of rows of cells, each
//! cell addressable as `file › sheet › A1`.
//!
//! This is the one place that knows where grids come from: the
//! spreadsheet reader fills it (see [`super::read`]), and the conversion
//! and its tests build it in memory. Switching the reader changes this
//! adapter only.

use std::fmt;

/// One cell's value, as the reader typed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text as written, ids such as `3.10` included.
    Text(String),
    Number(f64),
    Bool(bool),
}

impl Cell {
    /// The cell as a person reads it, surrounding spaces removed; empty
    /// for an empty cell.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            // As the reader shows a number: `16`, `0.35`, never rounded
            // (an id typed as a number keeps its digits).
            Cell::Number(n) => crate::sheet::number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }

    pub fn is_blank(&self) -> bool {
        self.text().is_empty()
    }
}

/// One sheet of the matrix; a csv file is one sheet without a name.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// `None` for a csv file.
    pub name: Option<String>,
    /// By zero-based row number: a row the reader left out is empty.
    pub rows: Vec<Row>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).map_or(&Cell::Empty, |r| r.get(col))
    }
}

/// One row's cells that hold something, by zero-based column. Sparse: a
/// hostile sheet with one cell far to the right in every row costs one
/// cell per row, not a thousand.
#[derive(Debug, Clone, Default)]
pub struct Row {
    cells: Vec<(usize, Cell)>,
}

impl Row {
    /// A row from its cells left to right, empty ones included.
    pub fn from_cells(cells: Vec<Cell>) -> Row {
        Row {
            cells: cells
                .into_iter()
                .enumerate()
                .filter(|(_, c)| *c != Cell::Empty)
                .collect(),
        }
    }

    /// Sets a cell (an empty one clears it).
    pub fn set(&mut self, col: usize, cell: Cell) {
        match self.cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) if cell == Cell::Empty => {
                self.cells.remove(i);
            }
            Ok(i) => self.cells[i].1 = cell,
            Err(_) if cell == Cell::Empty => {}
            Err(i) => self.cells.insert(i, (col, cell)),
        }
    }

    pub fn get(&self, col: usize) -> &Cell {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .and_then(|i| self.cells.get(i))
            .map_or(&Cell::Empty, |(_, cell)| cell)
    }

    /// The cells that hold something, with their columns.
    pub fn cells(&self) -> impl Iterator<Item = (usize, &Cell)> {
        self.cells.iter().map(|(c, cell)| (*c, cell))
    }
}

/// The whole matrix: its file name as shown in messages and in
/// `source.ref`, and its sheets in workbook order.
#[derive(Debug, Clone, Default)]
pub struct Matrix {
    pub file: String,
    pub sheets: Vec<Sheet>,
}

/// Where a cell is, for messages: `matrix.xlsx › AP › D7`, or
/// `matrix.csv › D7` for a csv file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellRef {
    pub file: String,
    pub sheet: Option<String>,
    /// Zero-based.
    pub row: usize,
    /// Zero-based.
    pub col: usize,
}

impl CellRef {
    pub fn new(matrix: &Matrix, sheet: &Sheet, row: usize, col: usize) -> CellRef {
        CellRef {
            file: matrix.file.clone(),
            sheet: sheet.name.clone(),
            row,
            col,
        }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} › ", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, "{sheet} › ")?;
        }
        write!(f, "{}{}", column_letters(self.col), self.row + 1)
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(rem).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn a_csv_cell_has_no_sheet_in_its_address() {
        let at = CellRef {
            file: "m.csv".into(),
            sheet: None,
            row: 6,
            col: 3,
        };
        assert_eq!(at.to_string(), "m.csv › D7");
    }
}
