//! Printers. They turn evaluations into text, JSON or markdown and never
//! decide anything: rules decide, printers show.

pub mod check_github;
pub mod check_json;
pub mod check_markdown;
pub mod check_sarif;
pub mod check_text;
pub mod diff_json;
pub mod diff_markdown;
pub mod diff_text;
pub mod markdown;
pub mod pid;
pub mod report;

use crate::analysis::Figures;
use crate::model::Engagement;

/// 1234567.8 → "1,234,568"; keeps one decimal for small fractional values.
pub fn number(x: f64) -> String {
    // An empty float sum is -0.0; nobody wants to read "-0".
    let x = if x == 0.0 { 0.0 } else { x };
    let rounded = if x.fract().abs() >= 0.05 && x.abs() < 1000.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.0}")
    };
    let (sign, digits) = rounded
        .strip_prefix('-')
        .map_or(("", rounded.as_str()), |d| ("-", d));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

pub fn signed_percent(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// "262 days scoped, 200 sold (+31.0%)"
pub fn effort_line(e: &Engagement, f: &Figures) -> String {
    let unit = e.handoff.effort.unit_name();
    match f.effort_sold {
        Some(sold) => format!(
            "{} {unit} scoped, {} sold{}",
            number(f.effort_scoped),
            number(sold),
            f.effort_variance
                .map_or(String::new(), |v| format!(" ({})", signed_percent(v)))
        ),
        None => format!(
            "{} {unit} scoped, effort sold not stated",
            number(f.effort_scoped)
        ),
    }
}

/// "42.2% at sale, 24.3% at scope, 32,240 EUR at risk", or `None` without
/// the price and cost rate.
pub fn margin_line(e: &Engagement, f: &Figures) -> Option<String> {
    let currency = e.handoff.contract.currency.as_deref().unwrap_or("");
    let mut parts = Vec::new();
    if let Some(m) = f.margin_sold {
        parts.push(format!("{} at sale", percent(m)));
    }
    if let Some(m) = f.margin_scoped {
        parts.push(format!("{} at scope", percent(m)));
    }
    if let Some(r) = f.margin_at_risk {
        parts.push(format!("{} {currency} at risk", number(r)).replace("  ", " "));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

pub fn coverage_line(f: &Figures) -> String {
    let c = &f.coverage;
    format!(
        "{} covered, {} partial, {} unscoped, {} not applicable",
        c.covered, c.partial, c.unscoped, c.n_a
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_for_reading() {
        assert_eq!(number(1_234_567.0), "1,234,567");
        assert_eq!(number(-32_240.0), "-32,240");
        assert_eq!(number(12.5), "12.5");
        assert_eq!(number(200.0), "200");
    }
}
