//! How numbers and words read to people, wherever they are written: in
//! finding messages (`rules`), diff highlights (`diff`) and every printer
//! (`output`). One place, so the same figure never reads two ways.

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

/// `x` to `places` decimals, so float noise never reaches what people or
/// tools read.
pub fn round(x: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (x * factor).round() / factor
}

/// 0.243 → "24.3%"
pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// 0.31 → "+31.0%"
pub fn signed_percent(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// "32,240 EUR", or "32,240" when no currency is stated.
pub fn money(x: f64, currency: Option<&str>) -> String {
    match currency {
        Some(c) => format!("{} {c}", number(x)).trim_end().to_string(),
        None => number(x),
    }
}

/// "scope items" → "Scope items"
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
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
        assert_eq!(number(-0.0), "0");
    }

    #[test]
    fn money_names_the_currency_when_there_is_one() {
        assert_eq!(money(32_240.0, Some("EUR")), "32,240 EUR");
        assert_eq!(money(32_240.0, None), "32,240");
    }
}
