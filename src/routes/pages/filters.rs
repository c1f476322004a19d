//! askama filters of the pages (found by templates as `filters::NAME` from the module
//! of their page struct, hence `use super::filters;` there).
use super::escape;

/// A message shown with code marked as code. Messages are written once for the API, the
/// command line and the pages, and mark code with backticks as Markdown does ("under a
/// `# Topic` heading"); a page shows `<code># Topic</code>` instead of the backticks.
/// The text is HTML-escaped here, so the template adds `|safe`; a backtick without its
/// pair is kept as typed.
pub fn code(text: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(code_spans(&text.to_string()))
}

fn code_spans(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // An even count of parts means a backtick without a pair: it goes with the last part.
    let paired = if parts.len().is_multiple_of(2) { parts.len() - 2 } else { parts.len() - 1 };
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i > paired {
            out.push('`');
            out.push_str(&escape(part));
        } else if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&escape(part));
            out.push_str("</code>");
        } else {
            out.push_str(&escape(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::code_spans;

    #[test]
    fn backticks_become_code_and_everything_is_escaped() {
        for (text, html, case) in [
            ("no code", "no code", "plain text"),
            ("`→` or `->` between", "<code>→</code> or <code>-&gt;</code> between", "two spans, escaped"),
            ("under a `# Topic` heading", "under a <code># Topic</code> heading", "one span"),
            ("a <b> tag", "a &lt;b&gt; tag", "markup is escaped"),
            ("one ` alone", "one ` alone", "an unpaired backtick is kept"),
            ("`a` and ` alone", "<code>a</code> and ` alone", "a pair, then one alone"),
            ("``", "<code></code>", "an empty span"),
        ] {
            assert_eq!(code_spans(text), html, "{case}");
        }
    }
}
