//! Helpers for every markdown printer (check and diff comments, the report,
//! the PID's `cell` filter): escaping user text, and keeping pull-request
//! comments under a size limit.

/// GitHub refuses comments over 65,536 characters; stay well under.
pub const LIMIT: usize = 60_000;

/// User text made safe for a markdown paragraph or table cell: no HTML
/// (a stray `<details>` would swallow the rest of the comment), no table
/// breaks, one line.
pub fn text(s: &str) -> String {
    // Most titles and ids have nothing to escape: one scan and a copy.
    if !s
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'|' | b'\r' | b'\n'))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A table cell of plain text: [`text`], and a backslash shows as written
/// instead of escaping the character after it. Not for code spans, where
/// markdown shows backslashes as they are.
pub fn cell(s: &str) -> String {
    if is_plain_cell(s) {
        return s.to_string();
    }
    if s.contains('\\') {
        text(&s.replace('\\', "\\\\"))
    } else {
        text(s)
    }
}

/// A table cell as the PID writes one: [`cell`] of the trimmed text, `-`
/// for nothing; borrowed when there is nothing to escape, as for most.
pub fn cell_or_dash(s: &str) -> std::borrow::Cow<'_, str> {
    // Most cells begin and end with a visible ASCII character: nothing to
    // trim, and no need to decode their ends as `trim` does.
    let visible = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_graphic());
    let bytes = s.as_bytes();
    let text = if visible(bytes.first()) && visible(bytes.last()) {
        s
    } else {
        s.trim()
    };
    if text.is_empty() {
        std::borrow::Cow::Borrowed("-")
    } else if is_plain_cell(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(cell(text))
    }
}

/// Whether [`cell`] leaves `s` as it is: nothing a table cell escapes.
pub fn is_plain_cell(s: &str) -> bool {
    // A PID's tables are megabytes of cells: a word at a time.
    crate::scan::find(
        s.as_bytes(),
        |w| {
            w.below(b'\r' + 1)
                | w.has(b'&')
                | w.has(b'<')
                | w.has(b'>')
                | w.has(b'|')
                | w.has(b'\\')
        },
        |bytes, i| {
            bytes
                .get(i)
                .is_some_and(|b| matches!(b, b'&' | b'<' | b'>' | b'|' | b'\r' | b'\n' | b'\\'))
        },
        b'a',
    )
    .is_none()
}

/// A code span that survives backticks in the text.
pub fn code(s: &str) -> String {
    let s = text(s);
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// One part of a document that may be shortened or left out to fit.
#[derive(Debug)]
pub struct Section {
    pub full: String,
    /// What to show when the full text does not fit (e.g. the highlights
    /// only); `None` to leave the section out.
    pub compact: Option<String>,
}

/// `head`, then as many sections as fit under `limit` characters (whole,
/// or compact), then `tail`, with a note when anything was shortened or
/// left out. Sections come in order of importance.
pub fn fit(head: &str, sections: Vec<Section>, tail: &str, limit: usize) -> String {
    let note_room = 400;
    let budget = limit.saturating_sub(head.len() + tail.len() + note_room);
    let mut used = 0;
    let mut body = String::new();
    let (mut shortened, mut left_out) = (0usize, 0usize);
    for section in sections {
        if used + section.full.len() <= budget {
            used += section.full.len();
            body.push_str(&section.full);
        } else if let Some(compact) = section.compact.filter(|c| used + c.len() <= budget) {
            used += compact.len();
            body.push_str(&compact);
            shortened += 1;
        } else {
            left_out += 1;
        }
    }
    let mut out = String::with_capacity(head.len() + used + tail.len() + note_room);
    out.push_str(head);
    out.push_str(&body);
    out.push_str(tail);
    if shortened + left_out > 0 {
        let mut parts = Vec::new();
        if shortened > 0 {
            parts.push(format!("{shortened} shortened to the essentials"));
        }
        if left_out > 0 {
            parts.push(format!("{left_out} left out"));
        }
        out.push_str(&format!(
            "\n> **Truncated** to stay under {} characters: {} section{} {}. Run the same command locally, or with `--format json`, for everything.\n",
            crate::format::number(limit as f64),
            shortened + left_out,
            if shortened + left_out == 1 { "" } else { "s" },
            parts.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_open_html_or_break_tables() {
        assert_eq!(text("a <details> | b\nc"), "a &lt;details&gt; \\| b c");
        assert_eq!(code("x`y"), "`` x`y ``");
        assert_eq!(cell("a\\ | b"), "a\\\\ \\| b");
    }

    #[test]
    fn plain_cells_are_exactly_the_ones_cell_leaves_alone() {
        for c in (0..0x250u32).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            assert_eq!(is_plain_cell(&s), cell(&s) == s, "{c:?}");
        }
    }

    #[test]
    fn long_documents_are_cut_with_a_note_and_stay_under_the_limit() {
        let sections: Vec<Section> = (0..50)
            .map(|i| Section {
                full: format!("## part {i}\n{}\n", "x".repeat(2_000)),
                compact: Some(format!("## part {i} (short)\n")),
            })
            .collect();
        let out = fit("# title\n", sections, "", 20_000);
        assert!(out.len() <= 20_000, "{}", out.len());
        assert!(out.contains("**Truncated**"));
        assert!(out.contains("## part 0\n"));
        assert!(out.contains("(short)"));
        let small = fit(
            "# t\n",
            vec![Section {
                full: "a\n".into(),
                compact: None,
            }],
            "",
            20_000,
        );
        assert!(!small.contains("Truncated"));
    }
}
