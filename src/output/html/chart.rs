//! Small bar charts as inline SVG. Each is a `<figure>`: the picture, with
//! a `<title>` that says what it shows, then a table with the same
//! numbers, so a screen reader, a printout in black and white and a reader
//! who does not trust bar lengths all get them.

use super::Html;

const WIDTH: f64 = 560.0;
const LABEL: f64 = 140.0;
const BAR_AREA: f64 = 320.0;
const ROW: f64 = 28.0;

/// One bar: its label, its value and the value as people read it.
#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

fn num(x: f64) -> String {
    format!("{:.1}", (x * 10.0).round() / 10.0)
}

/// A horizontal bar chart of `bars` (negative values to the left of the
/// zero line), with the table beneath. `id` must be unique in the page.
pub fn bars(h: &mut Html, id: &'static str, caption: &str, headers: [&str; 2], bars: &[Bar]) {
    h.open("figure", &[("aria-labelledby", &format!("{id}-cap"))]);
    h.el("figcaption", &[("id", &format!("{id}-cap"))], caption);
    let min = bars.iter().map(|b| b.value).fold(0.0_f64, f64::min);
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let scale = BAR_AREA / span;
    let zero = LABEL + (-min) * scale;
    let height = ROW * bars.len() as f64 + 8.0;
    let title_id = format!("{id}-title");
    let summary: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.shown))
        .collect();
    h.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("viewBox", &format!("0 0 {WIDTH} {}", num(height))),
            ("width", &num(WIDTH)),
            ("height", &num(height)),
            ("role", "img"),
            ("aria-labelledby", &title_id),
        ],
    );
    h.el(
        "title",
        &[("id", &title_id)],
        &format!("{caption}. {}", summary.join("; ")),
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let w = (b.value.abs() * scale).max(if b.value == 0.0 { 0.0 } else { 1.0 });
        let x = if b.value < 0.0 { zero - w } else { zero };
        h.el(
            "text",
            &[
                ("x", "0"),
                ("y", &num(y + ROW / 2.0 + 4.0)),
                ("class", "chart-label"),
            ],
            &b.label,
        );
        h.open(
            "rect",
            &[
                ("x", &num(x)),
                ("y", &num(y + 4.0)),
                ("width", &num(w)),
                ("height", &num(ROW - 8.0)),
                ("fill", if b.value < 0.0 { "#b3261e" } else { "#2f5f9e" }),
            ],
        )
        .close();
        let after = if b.value < 0.0 {
            zero + 4.0
        } else {
            x + w + 4.0
        };
        h.el(
            "text",
            &[
                ("x", &num(after)),
                ("y", &num(y + ROW / 2.0 + 4.0)),
                ("class", "chart-label"),
            ],
            &b.shown,
        );
    }
    // The zero line, when some bar is negative.
    if min < 0.0 {
        h.open(
            "line",
            &[
                ("x1", &num(zero)),
                ("x2", &num(zero)),
                ("y1", "0"),
                ("y2", &num(height)),
                ("stroke", "#1a1a1a"),
            ],
        )
        .close();
    }
    h.close();
    h.open("table", &[]);
    h.open("thead", &[]).open("tr", &[]);
    h.el("th", &[("scope", "col")], headers[0]);
    h.el("th", &[("scope", "col"), ("class", "num")], headers[1]);
    h.close().close();
    h.open("tbody", &[]);
    for b in bars {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], &b.label);
        h.el("td", &[("class", "num")], &b.shown);
        h.close();
    }
    h.close().close();
    h.close();
}

/// One series of a stacked chart: its name and fill.
#[derive(Debug, Clone, Copy)]
pub struct Series {
    pub name: &'static str,
    pub fill: &'static str,
}

/// Stacked horizontal bars: one per category, one segment per series,
/// lengths proportional to the counts; the legend names the series in
/// words and the table gives every count.
pub fn stacked(
    h: &mut Html,
    id: &'static str,
    caption: &str,
    category_header: &str,
    categories: &[&str],
    series: &[Series],
    counts: &[Vec<usize>],
) {
    h.open("figure", &[("aria-labelledby", &format!("{id}-cap"))]);
    h.el("figcaption", &[("id", &format!("{id}-cap"))], caption);
    let max = counts
        .iter()
        .map(|row| row.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = BAR_AREA / max as f64;
    let legend_rows = 1.0;
    let height = ROW * (categories.len() as f64 + legend_rows) + 8.0;
    let title_id = format!("{id}-title");
    let summary: Vec<String> = categories
        .iter()
        .zip(counts)
        .map(|(c, row)| {
            let parts: Vec<String> = series
                .iter()
                .zip(row)
                .map(|(s, n)| format!("{n} {}", s.name))
                .collect();
            format!("{c}: {}", parts.join(", "))
        })
        .collect();
    h.open(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("viewBox", &format!("0 0 {WIDTH} {}", num(height))),
            ("width", &num(WIDTH)),
            ("height", &num(height)),
            ("role", "img"),
            ("aria-labelledby", &title_id),
        ],
    );
    h.el(
        "title",
        &[("id", &title_id)],
        &format!("{caption}. {}", summary.join("; ")),
    );
    for (i, (category, row)) in categories.iter().zip(counts).enumerate() {
        let y = 4.0 + ROW * i as f64;
        h.el(
            "text",
            &[
                ("x", "0"),
                ("y", &num(y + ROW / 2.0 + 4.0)),
                ("class", "chart-label"),
            ],
            category,
        );
        let mut x = LABEL;
        for (s, &n) in series.iter().zip(row) {
            if n == 0 {
                continue;
            }
            let w = n as f64 * scale;
            h.open(
                "rect",
                &[
                    ("x", &num(x)),
                    ("y", &num(y + 4.0)),
                    ("width", &num(w)),
                    ("height", &num(ROW - 8.0)),
                    ("fill", s.fill),
                    ("stroke", "#ffffff"),
                ],
            )
            .close();
            x += w;
        }
        h.el(
            "text",
            &[
                ("x", &num(x + 4.0)),
                ("y", &num(y + ROW / 2.0 + 4.0)),
                ("class", "chart-label"),
            ],
            &row.iter().sum::<usize>().to_string(),
        );
    }
    // The legend: a swatch and the series' name in words.
    let y = 4.0 + ROW * categories.len() as f64;
    let step = WIDTH / series.len().max(1) as f64;
    for (i, s) in series.iter().enumerate() {
        let x = step * i as f64;
        h.open(
            "rect",
            &[
                ("x", &num(x)),
                ("y", &num(y + 8.0)),
                ("width", "12"),
                ("height", "12"),
                ("fill", s.fill),
            ],
        )
        .close();
        h.el(
            "text",
            &[
                ("x", &num(x + 16.0)),
                ("y", &num(y + 19.0)),
                ("class", "chart-label"),
            ],
            s.name,
        );
    }
    h.close();
    h.open("table", &[]);
    h.open("thead", &[]).open("tr", &[]);
    h.el("th", &[("scope", "col")], category_header);
    for s in series {
        h.el("th", &[("scope", "col"), ("class", "num")], s.name);
    }
    h.el("th", &[("scope", "col"), ("class", "num")], "total");
    h.close().close();
    h.open("tbody", &[]);
    for (category, row) in categories.iter().zip(counts) {
        h.open("tr", &[]);
        h.el("th", &[("scope", "row")], category);
        for n in row {
            h.el("td", &[("class", "num")], &n.to_string());
        }
        h.el(
            "td",
            &[("class", "num")],
            &row.iter().sum::<usize>().to_string(),
        );
        h.close();
    }
    h.close().close();
    h.close();
}
