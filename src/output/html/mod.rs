//! HTML documents: the report of one engagement (`report --format html`)
//! and the pages of a portfolio site (`handoff site`). Each is one
//! self-contained file: inline CSS, charts as inline SVG, no script, no
//! font, image or anything else fetched; a Content-Security-Policy meta tag
//! forbids all of that, so a browser would refuse even a mistake.
//!
//! Safety by construction: pages are written through [`Html`], whose tag
//! and attribute names are `&'static str` (never from the files) and whose
//! every value goes through the escape function of its context: [`text`]
//! for element content, [`attr`] for a double-quoted attribute value,
//! [`href`] for the relative links the site makes. Elements are closed by
//! popping a stack, so none is left open or closed out of order.

pub mod chart;
pub mod page;
pub mod site;
pub mod stats;

use std::borrow::Cow;

/// What a page may load: nothing but its own inline styles and `data:`
/// images; no script of any kind.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// Text as element content: `&`, `<` and `>` as entities, so a title
/// `<script>` is shown, not run. Control characters (which HTML forbids,
/// and which could hide what stands next to them) are shown escaped, as
/// the terminal printers show them.
pub fn text(value: &str) -> Cow<'_, str> {
    escape(value, false)
}

/// Text as a double-quoted attribute value: as [`text`], and the quotes
/// too, so `" onmouseover="…` stays inside the value.
pub fn attr(value: &str) -> Cow<'_, str> {
    escape(value, true)
}

/// A relative link to a file the site wrote: path characters outside a
/// small safe set are percent-encoded (the site's own names never need
/// it), then escaped as an attribute.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Characters HTML does not allow in a document (C0 and C1 controls but
/// newline and tab; noncharacters): each is a parse error.
fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c as u32, 0xFDD0..=0xFDEF)
        || (c as u32 & 0xFFFE) == 0xFFFE
}

fn escape(value: &str, quotes: bool) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(c, '&' | '<' | '>') || (quotes && matches!(c, '"' | '\'')) || forbidden(c)
    };
    if !value.chars().any(special) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&#39;"),
            '\r' => out.push_str("\\r"),
            c if forbidden(c) && (c as u32) < 0x80 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if forbidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A page being written. Tag and attribute names are static, values are
/// escaped on the way in, and [`Html::close`] closes the innermost open
/// element, so the markup is well formed whatever the files hold.
#[derive(Debug, Default)]
pub struct Html {
    out: String,
    open: Vec<&'static str>,
}

/// Elements without content or end tag.
const VOID: &[&str] = &["meta", "br", "col", "hr"];

impl Html {
    pub fn new() -> Html {
        Html {
            out: String::with_capacity(16 * 1024),
            open: Vec::new(),
        }
    }

    fn start_tag(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            self.out.push_str(&attr(value));
            self.out.push('"');
        }
        self.out.push('>');
    }

    /// Opens `tag`; [`Html::close`] closes it.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Html {
        self.start_tag(tag, attrs);
        if !VOID.contains(&tag) {
            self.open.push(tag);
        }
        self
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) -> &mut Html {
        if let Some(tag) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
            // A line break between blocks keeps the source readable and
            // diffs small; inside text-level elements it would add a space.
            if !matches!(
                tag,
                "a" | "span" | "strong" | "code" | "abbr" | "title" | "text" | "tspan"
            ) {
                self.out.push('\n');
            }
        }
        self
    }

    /// Escaped text.
    pub fn text(&mut self, value: &str) -> &mut Html {
        self.out.push_str(&text(value));
        self
    }

    /// `<tag attrs>text</tag>`
    pub fn el(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        value: &str,
    ) -> &mut Html {
        self.open(tag, attrs).text(value).close()
    }

    /// Markup written in this crate (the stylesheet, the doctype); never
    /// anything from the files, which the `'static` bound makes sure of.
    pub fn trusted(&mut self, markup: &'static str) -> &mut Html {
        self.out.push_str(markup);
        self
    }

    /// The page, with anything still open closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// The start of every page up to `<body>`: language, character set, the
/// policy, the title and the stylesheet.
pub fn head(h: &mut Html, title: &str, generator: &'static str) {
    h.trusted("<!DOCTYPE html>\n");
    h.open("html", &[("lang", "en")]);
    h.open("head", &[]);
    h.open("meta", &[("charset", "utf-8")]);
    h.open(
        "meta",
        &[("http-equiv", "Content-Security-Policy"), ("content", CSP)],
    );
    h.open(
        "meta",
        &[
            ("name", "viewport"),
            ("content", "width=device-width, initial-scale=1"),
        ],
    );
    h.open("meta", &[("name", "generator"), ("content", generator)]);
    h.el("title", &[], title);
    h.open("style", &[]).trusted(STYLE).close();
    h.close();
    h.open("body", &[]);
}

/// Screen and print (A4) styles. Colours meet WCAG AA contrast (4.5:1 and
/// more) on their backgrounds; verdicts carry a word and a symbol too, so
/// colour is never the only sign.
const STYLE: &str = r#"
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;max-width:78rem;padding:1rem 1.5rem 3rem;line-height:1.45}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;border-bottom:2px solid #c8c8c8;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
a{color:#0b4f9c}
.meta{color:#3d3d3d;margin:.2rem 0}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
nav a[aria-current]{font-weight:700;color:#1a1a1a}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{border:1px solid #b8b8b8;padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th{background:#e9edf2}
tbody th{font-weight:600;background:#f6f7f9}
tbody th,.problem{overflow-wrap:anywhere}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.verdict{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:700;border:1px solid currentColor;white-space:nowrap}
.v-ready{color:#0b5d1e;background:#e6f4ea}
.v-warn{color:#6e4300;background:#fff4e0}
.v-not{color:#a50e0e;background:#fdecea}
.v-invalid{color:#3d3d3d;background:#ececec}
.big{font-size:1.2rem}
dl.totals{display:flex;flex-wrap:wrap;gap:.5rem 2.5rem;margin:.5rem 0}
dl.totals div{min-width:10rem}
dl.totals dt{color:#3d3d3d;font-size:.9rem}
dl.totals dd{margin:0;font-size:1.5rem;font-weight:700}
dl.totals dd.plain{font-size:1rem;font-weight:400}
.nowrap{white-space:nowrap}
table.stats{font-size:.85rem}
table.stats .num{white-space:normal}
table.stats tbody th{overflow-wrap:normal;min-width:7rem}
figure{margin:.5rem 0 1.5rem}
figcaption{font-weight:600;margin-bottom:.3rem}
svg{max-width:40rem;height:auto;display:block}
.chart-label{font-size:12px;fill:#1a1a1a}
.empty{color:#3d3d3d;font-style:italic}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:.85em}
footer{margin-top:3rem;color:#3d3d3d;font-size:.85rem}
@media print{
@page{size:A4;margin:14mm 12mm}
body{max-width:none;padding:0;font-size:9.5pt}
nav{display:none}
main>section{break-before:page}
main>section:first-of-type{break-before:auto}
thead{display:table-header-group}
tr,figure,svg,dl.totals{break-inside:avoid}
h2,h3,caption,figcaption{break-after:avoid}
a{color:inherit;text-decoration:none}
table{font-size:8.5pt}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_from_the_files_is_text_in_every_context() {
        assert_eq!(
            text("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(attr("\" onmouseover=\"x"), "&quot; onmouseover=&quot;x");
        assert_eq!(attr("it's"), "it&#39;s");
        assert_eq!(text("a & b"), "a &amp; b");
        assert_eq!(
            text("T\u{1b}]0;x\u{7}\r\u{9b}"),
            "T\\x1b]0;x\\x07\\r\\u{9b}"
        );
        assert_eq!(text("plain\tline\n"), "plain\tline\n");
        assert_eq!(href("engagements/a b\".html"), "engagements/a%20b%22.html");
    }

    #[test]
    fn elements_close_in_order_and_nothing_stays_open() {
        let mut h = Html::new();
        h.open("div", &[("class", "x\"y")])
            .open("p", &[])
            .text("<b>");
        let page = h.finish();
        assert_eq!(page, "<div class=\"x&quot;y\"><p>&lt;b&gt;</p>\n</div>\n");
    }
}
