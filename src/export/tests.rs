//! Unit tests of the exports: each format's escaping, and the files made
//! from the sample stories.

use super::graphml::xml;
use super::mermaid::label;
use super::*;
use crate::render::dot::quote;

#[test]
fn labels_are_escaped_for_each_format() {
    assert_eq!(quote(r#"say "hi" \ now"#), r#""say \"hi\" \\ now""#);
    assert_eq!(quote("سطر\nثان"), "\"سطر\\nثان\"");
    assert_eq!(
        xml("a<b & \"c\"\u{1}\u{FFFE}\u{202E}"),
        "a&lt;b &amp; &quot;c&quot;\\u{1}\\u{FFFE}\\u{202E}"
    );
    assert_eq!(quote("a\u{0}b\u{1b}"), r#""a\\u{0}b\\e""#);
    assert_eq!(label("a\u{202E}b"), "\"a\\u{202E}b\"");
    assert_eq!(xml("1\n2\r3\t"), "1&#10;2&#13;3&#9;");
    assert_eq!(
        label("x|y <b> \"q\" #1"),
        "\"x#124;y #lt;b#gt; #quot;q#quot; #35;1\""
    );
}

#[test]
fn formats_follow_file_extensions() {
    let of = |name: &str| ExportFormat::from_extension(std::path::Path::new(name));
    assert_eq!(of("graph.DOT"), Some(ExportFormat::Dot));
    assert_eq!(of("g.graphml"), Some(ExportFormat::Graphml));
    assert_eq!(of("g.mmd"), Some(ExportFormat::Mermaid));
    assert_eq!(of("g.json"), Some(ExportFormat::Cytoscape));
    assert_eq!(of("g.svg"), Some(ExportFormat::Svg));
    assert_eq!(of("g.html"), Some(ExportFormat::Html));
    assert_eq!(of("g.ttl"), Some(ExportFormat::Turtle));
    assert_eq!(of("g.png"), None);
    assert_eq!(truncate("abcdef", 3), "abc…");
    assert_eq!(truncate("abc", 3), "abc");
    assert_eq!(truncate("بوتينن", 5), "بوتين…");
}
