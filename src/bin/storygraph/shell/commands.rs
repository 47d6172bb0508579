//! Parsing a dot-command line into [`DotCommand`] (the one table of
//! commands, in `cli`) and the help generated from that table.

use clap::CommandFactory;
use storygraph::input::suggest::did_you_mean;
use storygraph::{Error, Result};

use crate::args::{DotCommand, DotLine};

/// A parsed dot-command line.
#[derive(Debug)]
pub enum Parsed {
    Command(Box<DotCommand>),
    /// `--help` was asked for: the text to show.
    Help(String),
}

/// The names (and visible aliases) of every dot-command.
pub fn command_names() -> &'static [String] {
    static NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        DotLine::command()
            .get_subcommands()
            .flat_map(|c| {
                std::iter::once(c.get_name().to_owned())
                    .chain(c.get_visible_aliases().map(str::to_owned))
            })
            .collect()
    });
    &NAMES
}

thread_local! {
    /// The dot-command table, built once: building it (every command with
    /// its options) took most of a `.path`'s time when built per line.
    static TABLE: std::cell::RefCell<clap::Command> = std::cell::RefCell::new(DotLine::command());
}

/// `.path FROM TO` without options, the commonest line of a script: the
/// table's own parse of a line of that shape, with the two names put in.
/// (clap's parse, which fills in every option's default, cost more than
/// the search and its printing.)
fn plain_path(name: &str, arguments: &[String]) -> Option<DotCommand> {
    use crate::args::{ExploreCommand, PathArgs};
    thread_local! {
        static TEMPLATE: Option<PathArgs> = match parse_with_table(
            ["path", "FROM", "TO"].into_iter().map(str::to_owned),
        ) {
            Ok(DotLine { command: DotCommand::Explore(ExploreCommand::Path(p)) }) => Some(p),
            _ => None,
        };
    }
    let [from, to] = arguments else {
        return None;
    };
    if name != "path" || from.starts_with('-') || to.starts_with('-') {
        return None;
    }
    let mut path = TEMPLATE.with(Clone::clone)?;
    path.from.clone_from(from);
    path.to.clone_from(to);
    Some(DotCommand::Explore(ExploreCommand::Path(path)))
}

/// Parses `argv` with the one table.
fn parse_with_table(
    argv: impl Iterator<Item = String>,
) -> std::result::Result<DotLine, clap::Error> {
    use clap::FromArgMatches;
    TABLE.with_borrow_mut(|table| {
        let matches = table.try_get_matches_from_mut(argv)?;
        DotLine::from_arg_matches(&matches)
    })
}

/// Parses a dot-command line (without its dot). Arguments are split like
/// a shell's (quotes keep spaces: `.find "Ilham Aliyev"`), except
/// `.explain`, whose argument is the rest of the line as typed.
pub fn parse_dot(line: &str) -> Result<Parsed> {
    let line = line.trim();
    let (name, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let names = command_names();
    if !names.iter().any(|n| n == name) {
        let hint = did_you_mean(name, names.iter().map(String::as_str))
            .map(|h| format!(" ({})", h.replace('"', "").replacen("mean ", "mean .", 1)))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "unknown command .{name}{hint}; .help lists the commands"
        )));
    }
    let arguments = if name == "explain" {
        let query = rest.trim();
        if query.is_empty() {
            Vec::new()
        } else {
            vec![query.to_owned()]
        }
    } else {
        shlex::split(rest)
            .ok_or_else(|| Error::Usage(format!(".{name}: a quote is not closed in \"{rest}\"")))?
    };
    if let Some(command) = plain_path(name, &arguments) {
        return Ok(Parsed::Command(Box::new(command)));
    }
    let argv = std::iter::once(name.to_owned()).chain(arguments);
    match parse_with_table(argv) {
        Ok(parsed) => Ok(Parsed::Command(Box::new(parsed.command))),
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => {
            Ok(Parsed::Help(e.render().to_string()))
        }
        Err(e) => Err(Error::Usage(clap_message(name, &e.render().to_string()))),
    }
}

/// clap's message, reworded for the shell: no `error:` (the shell adds
/// it), and `.help NAME` instead of `--help`.
fn clap_message(name: &str, rendered: &str) -> String {
    let mut lines: Vec<&str> = rendered
        .trim()
        .lines()
        .filter(|l| !l.starts_with("For more information"))
        .collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let text = lines.join("\n");
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    format!(".{name}: {text}\n(.help {name} shows its options)")
}

/// `.help`: every command with its one-line description; `.help NAME`:
/// that command's options.
pub fn help(command: Option<&str>) -> Result<String> {
    let mut table = DotLine::command();
    match command {
        None => {
            let mut text = String::from(
                "Type SPARQL to query (it runs once it parses, or at a line ending with ;),\n\
                 or a dot-command (Tab completes commands, options and entity names):\n\n",
            );
            for sub in table.get_subcommands() {
                let mut name = format!(".{}", sub.get_name());
                for alias in sub.get_visible_aliases() {
                    name.push_str(&format!(", .{alias}"));
                }
                let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
                // The first sentence: the CLI's longer wording stays in `.help NAME`.
                let about = match (about.find('?'), about.find(';')) {
                    (Some(question), _) => &about[..=question],
                    (None, Some(semicolon)) => &about[..semicolon],
                    (None, None) => about.as_str(),
                };
                text.push_str(&format!("  {name:<16} {about}\n"));
            }
            text.push_str("\n.help NAME shows a command's options. Ctrl-C cancels a running query, Ctrl-D leaves.\n");
            Ok(text)
        }
        Some(name) => {
            let name = name.trim_start_matches('.');
            let names = command_names();
            let Some(sub) = table.find_subcommand_mut(name) else {
                let hint = did_you_mean(name, names.iter().map(String::as_str))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "no command is called .{name}{hint}; .help lists them"
                )));
            };
            let mut sub = sub.clone().bin_name(format!(".{}", sub.get_name()));
            Ok(sub.render_long_help().to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{ExploreCommand, OnOff};
    use storygraph::graph::search::{Weight, DEFAULT_MAX_HOPS};
    use storygraph::model::Certainty;
    use storygraph::render::{ExploreFormat, ListingFormat, ResultsFormat};

    fn parse(line: &str) -> DotCommand {
        match parse_dot(line) {
            Ok(Parsed::Command(c)) => *c,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn error(line: &str) -> String {
        match parse_dot(line) {
            Err(e) => e.to_string(),
            Ok(other) => panic!("{line} parsed: {other:?}"),
        }
    }

    #[test]
    fn every_command_parses() {
        let DotCommand::Explore(ExploreCommand::Path(p)) = parse(
            "path putin \"Ilham Aliyev\" --k 3 --min-certainty reported --via warned --directed",
        ) else {
            panic!()
        };
        assert_eq!(
            (p.from.as_str(), p.to.as_str(), p.k),
            ("putin", "Ilham Aliyev", 3)
        );
        assert_eq!(p.options.filter.min_certainty, Some(Certainty::Reported));
        assert_eq!(p.options.filter.via, ["warned"]);
        assert!(p.options.filter.directed);
        let DotCommand::Paths(k) = parse("k بوتين indonesia --weight evidence") else {
            panic!()
        };
        assert_eq!(
            (k.from.as_str(), k.k, k.options.weight),
            ("بوتين", 5, Weight::Evidence)
        );
        let DotCommand::Explore(ExploreCommand::Neighbors(n)) =
            parse("neighbors putin --hops 2 --format json")
        else {
            panic!()
        };
        assert_eq!((n.hops, n.format), (2, ExploreFormat::Json));
        assert!(matches!(
            parse("timeline aliyev --since 2025"),
            DotCommand::Explore(ExploreCommand::Timeline(_))
        ));
        assert!(matches!(
            parse("find مختييف"),
            DotCommand::Explore(ExploreCommand::Find(_))
        ));
        assert!(matches!(
            parse("conflicts"),
            DotCommand::Explore(ExploreCommand::Conflicts(_))
        ));
        assert!(matches!(
            parse("corroboration putin"),
            DotCommand::Explore(ExploreCommand::Corroboration(_))
        ));
        assert!(matches!(
            parse("connections a b --entity-overlap"),
            DotCommand::Explore(ExploreCommand::Connections(_))
        ));
        assert!(matches!(
            parse("ingest a.json b.jsonl"),
            DotCommand::Ingest(_)
        ));
        assert!(matches!(parse("stats"), DotCommand::Stats(_)));
        let DotCommand::Articles(listing) = parse("articles --format csv") else {
            panic!()
        };
        assert_eq!(listing.format, Some(ListingFormat::Csv));
        let DotCommand::Prefix { prefix, iri } = parse("prefix ex: <http://example.org/>") else {
            panic!()
        };
        assert_eq!(
            (prefix.as_str(), iri.as_str()),
            ("ex:", "<http://example.org/>")
        );
        assert!(matches!(parse("prefixes"), DotCommand::Prefixes));
        assert!(matches!(
            parse("format json"),
            DotCommand::Format {
                format: Some(ResultsFormat::Json)
            }
        ));
        assert!(matches!(
            parse("format"),
            DotCommand::Format { format: None }
        ));
        assert!(matches!(parse("output"), DotCommand::Output { file: None }));
        assert!(matches!(
            parse("output out.tsv"),
            DotCommand::Output { file: Some(_) }
        ));
        assert!(matches!(
            parse("timer off"),
            DotCommand::Timer { state: OnOff::Off }
        ));
        assert!(matches!(parse("limit 20"), DotCommand::Limit { rows: 20 }));
        let DotCommand::Explain { query } = parse("explain SELECT * WHERE { ?s ?p \"it's\" }")
        else {
            panic!()
        };
        assert_eq!(query, "SELECT * WHERE { ?s ?p \"it's\" }");
        assert!(matches!(parse("read script.sg"), DotCommand::Read { .. }));
        assert!(matches!(parse("quit"), DotCommand::Quit));
        assert!(matches!(parse("exit"), DotCommand::Quit));
        assert!(matches!(
            parse("help path"),
            DotCommand::Help { command: Some(_) }
        ));
    }

    /// `.path A B` taken without clap is what clap makes of it.
    #[test]
    fn a_plain_path_line_is_parsed_as_the_table_parses_it() {
        for line in [
            "path putin aliyev",
            "path \"Ilham Aliyev\" 'فلاديمير بوتين'",
            "path a a",
        ] {
            let Parsed::Command(fast) = parse_dot(line).unwrap() else {
                panic!("{line}")
            };
            let argv = shlex::split(line).unwrap();
            let slow = parse_with_table(argv.into_iter()).unwrap().command;
            assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{line}");
        }
        let argv = |line: &str| shlex::split(line).unwrap()[1..].to_vec();
        assert!(plain_path("path", &argv("path a b")).is_some());
        for line in [
            "path a",
            "path a b c",
            "path a --all",
            "path -x b",
            "paths a b",
        ] {
            let name = line.split(' ').next().unwrap();
            assert!(plain_path(name, &argv(line)).is_none(), "{line}");
        }
    }

    /// The table is built once and parses every line: what one line set
    /// (options, a failed parse) never carries over to the next.
    #[test]
    fn one_table_parses_each_line_afresh() {
        let max_hops = |line: &str| match parse(line) {
            DotCommand::Explore(ExploreCommand::Path(p)) => (p.max_hops, p.options.avoid, p.to),
            _ => panic!("{line}"),
        };
        let (hops, avoid, _) = max_hops("path a b --max-hops 3 --avoid c");
        assert_eq!((hops, avoid.as_slice()), (3, ["c".to_owned()].as_slice()));
        assert!(error("path a b --max-hops many").contains("invalid value"));
        let (hops, avoid, to) = max_hops("path x y");
        assert_eq!((hops, avoid.len(), to.as_str()), (DEFAULT_MAX_HOPS, 0, "y"));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        assert_eq!(
            error("pth putin x"),
            "unknown command .pth (did you mean .path?); .help lists the commands"
        );
        let missing = error("path putin");
        assert!(missing.starts_with(".path: "), "{missing}");
        assert!(missing.contains("<TO>"), "{missing}");
        assert!(missing.contains(".help path"), "{missing}");
        assert!(error("path a b --min-certainty sure").contains("not a certainty level"));
        assert!(error("limit many").contains("invalid value 'many'"));
        assert!(error("format yaml").contains("[possible values:"));
        // Each command family offers only the formats it writes.
        let dot = error("neighbors putin --format dot");
        assert!(dot.contains("[possible values: text, json]"), "{dot}");
        assert!(error("stats --format turtle").contains("[possible values: table, csv, tsv, json]"));
        assert!(error("find \"unclosed").contains("quote is not closed"));
        assert!(error("explain").contains("<QUERY>"));
        assert!(error("path a b --kk 2").contains("--k"));
    }

    #[test]
    fn help_comes_from_the_table() {
        let all = help(None).unwrap();
        for name in command_names() {
            assert!(
                all.contains(&format!(".{name}")),
                "{name} missing from\n{all}"
            );
        }
        let path = help(Some(".path")).unwrap();
        assert!(path.contains("--min-certainty"), "{path}");
        assert!(path.contains("Usage: .path"), "{path}");
        assert!(help(Some("pth"))
            .unwrap_err()
            .to_string()
            .contains("did you mean \"path\""));
        let Ok(Parsed::Help(text)) = parse_dot("neighbors --help") else {
            panic!()
        };
        assert!(text.contains("--hops"));
    }
}
