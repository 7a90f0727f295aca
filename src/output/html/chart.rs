//! Small bar charts as inline SVG. Each is a `<figure>`: the picture, with
//! a `<title>` that says what it shows, then a table with the same
//! numbers, so a screen reader, a printout in black and white and a reader
//! who does not trust bar lengths all get them.

use super::Html;
use crate::date::Date;

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

/// Opens a chart: the `<figure>` with its caption, then the `<svg>` of
/// `height` with the `<title>` that names every value (`summary`). The
/// caller draws, closes the svg, writes the table of the same numbers and
/// closes the figure.
fn open_chart(h: &mut Html, id: &str, caption: &str, height: f64, summary: &[String]) {
    h.open("figure", &[("aria-labelledby", &format!("{id}-cap"))]);
    h.el("figcaption", &[("id", &format!("{id}-cap"))], caption);
    let title_id = format!("{id}-title");
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
}

/// A label in the chart, its baseline at `y`.
fn label(h: &mut Html, x: &str, y: f64, text: &str) {
    h.el(
        "text",
        &[("x", x), ("y", &num(y)), ("class", "chart-label")],
        text,
    );
}

/// Opens the table beneath a chart and writes its header row: the first
/// column names the rows, the others are numbers. The caller writes the
/// rows, then closes the `tbody` and the `table`.
fn open_table(h: &mut Html, first: &str, numbers: &[&str]) {
    h.open("table", &[]);
    h.open("thead", &[]).open("tr", &[]);
    h.el("th", &[("scope", "col")], first);
    for header in numbers {
        h.el("th", &[("scope", "col"), ("class", "num")], header);
    }
    h.close().close();
    h.open("tbody", &[]);
}

/// A horizontal bar chart of `bars` (negative values to the left of the
/// zero line), with the table beneath. `id` must be unique in the page.
pub fn bars(h: &mut Html, id: &'static str, caption: &str, headers: [&str; 2], bars: &[Bar]) {
    let min = bars.iter().map(|b| b.value).fold(0.0_f64, f64::min);
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let scale = BAR_AREA / span;
    let zero = LABEL + (-min) * scale;
    let height = ROW * bars.len() as f64 + 8.0;
    let summary: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.shown))
        .collect();
    open_chart(h, id, caption, height, &summary);
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let w = (b.value.abs() * scale).max(if b.value == 0.0 { 0.0 } else { 1.0 });
        let x = if b.value < 0.0 { zero - w } else { zero };
        label(h, "0", y + ROW / 2.0 + 4.0, &b.label);
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
        label(h, &num(after), y + ROW / 2.0 + 4.0, &b.shown);
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
    open_table(h, headers[0], &headers[1..]);
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
    let max = counts
        .iter()
        .map(|row| row.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = BAR_AREA / max as f64;
    let legend_rows = 1.0;
    let height = ROW * (categories.len() as f64 + legend_rows) + 8.0;
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
    open_chart(h, id, caption, height, &summary);
    for (i, (category, row)) in categories.iter().zip(counts).enumerate() {
        let y = 4.0 + ROW * i as f64;
        label(h, "0", y + ROW / 2.0 + 4.0, category);
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
        label(
            h,
            &num(x + 4.0),
            y + ROW / 2.0 + 4.0,
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
        label(h, &num(x + 16.0), y + 19.0, s.name);
    }
    h.close();
    let mut numbers: Vec<&str> = series.iter().map(|s| s.name).collect();
    numbers.push("total");
    open_table(h, category_header, &numbers);
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

/// One point of a step chart: from `date` on, the series is `value` until
/// its next point; `None` (not known there) breaks the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub date: Date,
    pub value: Option<usize>,
}

/// The left edge of the plot in a step chart (the value labels are left of
/// it) and its width, top and height.
const PLOT_LEFT: f64 = 40.0;
const PLOT_WIDTH: f64 = 500.0;
const PLOT_TOP: f64 = 10.0;
const PLOT_HEIGHT: f64 = 90.0;
/// Below the plot: the dates.
const DATE_ROW: f64 = 22.0;

/// The scales of step charts, shared by the charts drawn with them so that
/// they compare: time linear in days from `from` to `to`, values from 0 to
/// `max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scales {
    pub from: Date,
    pub to: Date,
    pub max: usize,
}

impl Scales {
    /// Where `date` is across: linear in days; everything at the left edge
    /// when the charts span a single day.
    pub fn x(&self, date: Date) -> f64 {
        let span = self.to.days_after(self.from).max(1) as f64;
        PLOT_LEFT + date.days_after(self.from) as f64 / span * PLOT_WIDTH
    }

    /// Where `value` is up: 0 on the axis, `max` at the top.
    pub fn y(&self, value: usize) -> f64 {
        PLOT_TOP + PLOT_HEIGHT - value as f64 / self.max.max(1) as f64 * PLOT_HEIGHT
    }
}

/// A step chart of one series over time: each point a dot, the value held
/// (a horizontal line) until the next point and then to `scales.to`, a
/// break where the value is not known. `summary` names every value for the
/// `<title>`; `table` writes the table of the same numbers beneath.
pub fn steps(
    h: &mut Html,
    id: &str,
    caption: &str,
    scales: &Scales,
    points: &[Step],
    summary: &[String],
    table: impl FnOnce(&mut Html),
) {
    let height = PLOT_TOP + PLOT_HEIGHT + DATE_ROW;
    open_chart(h, id, caption, height, summary);
    // The axes, and what their ends stand for.
    let bottom = scales.y(0);
    let right = PLOT_LEFT + PLOT_WIDTH;
    for (x1, y1, x2, y2) in [
        (PLOT_LEFT, PLOT_TOP, PLOT_LEFT, bottom),
        (PLOT_LEFT, bottom, right, bottom),
    ] {
        h.open(
            "line",
            &[
                ("x1", &num(x1)),
                ("y1", &num(y1)),
                ("x2", &num(x2)),
                ("y2", &num(y2)),
                ("stroke", "#6b6b6b"),
            ],
        )
        .close();
    }
    let end_label = |h: &mut Html, x: f64, y: f64, anchor: &str, text: &str| {
        h.el(
            "text",
            &[
                ("x", &num(x)),
                ("y", &num(y)),
                ("text-anchor", anchor),
                ("class", "chart-label"),
            ],
            text,
        );
    };
    end_label(h, PLOT_LEFT - 6.0, bottom + 4.0, "end", "0");
    end_label(
        h,
        PLOT_LEFT - 6.0,
        PLOT_TOP + 8.0,
        "end",
        &scales.max.max(1).to_string(),
    );
    end_label(
        h,
        PLOT_LEFT,
        bottom + 16.0,
        "start",
        &scales.from.to_string(),
    );
    if scales.to != scales.from {
        end_label(h, right, bottom + 16.0, "end", &scales.to.to_string());
    }
    // The runs of known values, each a line that holds its value until
    // the next point.
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let mut held: Option<usize> = None;
    for p in points {
        let x = scales.x(p.date);
        if let Some(before) = held {
            run.push((x, scales.y(before)));
        }
        match p.value {
            Some(v) => run.push((x, scales.y(v))),
            None => runs.extend((!run.is_empty()).then(|| std::mem::take(&mut run))),
        }
        held = p.value;
    }
    if let Some(last) = held {
        run.push((scales.x(scales.to), scales.y(last)));
    }
    runs.extend((!run.is_empty()).then_some(run));
    h.open("g", &[("class", "series")]);
    for run in &runs {
        let points: Vec<String> = run
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        h.open(
            "polyline",
            &[
                ("points", &points.join(" ")),
                ("fill", "none"),
                ("stroke", "#2f5f9e"),
                ("stroke-width", "2"),
            ],
        )
        .close();
    }
    for p in points {
        if let Some(v) = p.value {
            h.open(
                "circle",
                &[
                    ("class", "point"),
                    ("cx", &num(scales.x(p.date))),
                    ("cy", &num(scales.y(v))),
                    ("r", "3"),
                    ("fill", "#2f5f9e"),
                ],
            )
            .close();
        }
    }
    h.close();
    h.close();
    table(h);
    h.close();
}
