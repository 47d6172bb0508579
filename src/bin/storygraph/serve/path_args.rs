//! `/path?from=A&to=B&k=2&directed=true`: query parameters read by the
//! `path` command's own clap table, so every option of `path` is a
//! parameter of the same name and a misspelt one gets clap's "did you
//! mean". The JSON document is the default format here.

use clap::{CommandFactory, Parser};

use super::reply::Reply;
use crate::args::{PathArgs, PathRequest};

/// The `path` arguments the parameters ask for.
pub fn parse(parameters: &[(String, String)]) -> Result<PathArgs, Reply> {
    let value = |name: &str| {
        super::protocol::one(parameters, name)?.ok_or_else(|| {
            Reply::bad_request(format!(
                "`{name}` is missing: /path?from=ENTITY&to=ENTITY (ids, names in any script, or IRIs)"
            ))
        })
    };
    let mut argv = vec![value("from")?, value("to")?];
    let command = PathRequest::command();
    for (name, given) in parameters {
        if name == "from" || name == "to" {
            continue;
        }
        let flag = command
            .get_arguments()
            .find(|a| a.get_long() == Some(name.as_str()))
            .is_some_and(|a| !a.get_action().takes_values());
        match (flag, given.as_str()) {
            (true, "" | "true" | "1" | "yes") => argv.push(format!("--{name}")),
            (true, "false" | "0" | "no") => {}
            (true, other) => {
                return Err(Reply::bad_request(format!(
                    "`{name}` is true or false, not \"{other}\""
                )))
            }
            (false, _) => {
                argv.push(format!("--{name}"));
                argv.push(given.clone());
            }
        }
    }
    if !parameters.iter().any(|(n, _)| n == "format") {
        argv.extend(["--format".to_owned(), "json".to_owned()]);
    }
    PathRequest::try_parse_from(&argv)
        .map(|request| request.path)
        .map_err(|e| {
            // clap speaks of --flags; here they are parameters.
            let text = e.render().to_string();
            let said: Vec<&str> = text
                .lines()
                .filter(|l| l.starts_with("error:") || l.trim_start().starts_with("tip:"))
                .map(|l| l.trim().trim_start_matches("error: "))
                .collect();
            Reply::bad_request(said.join("; ").replace("'--", "'").replace(" --", " "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use storygraph::render::PathFormat;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn parameters_are_the_path_command_s_options() {
        let args = parse(&pairs(&[
            ("from", "Putin"),
            ("to", "قوة غزة"),
            ("k", "3"),
            ("directed", "true"),
            ("min-certainty", "reported"),
        ]))
        .unwrap();
        assert_eq!((args.from.as_str(), args.to.as_str()), ("Putin", "قوة غزة"));
        assert_eq!(args.k, 3);
        assert!(args.options.filter.directed);
        assert_eq!(args.options.format, PathFormat::Json);
        let text = parse(&pairs(&[("from", "a"), ("to", "b"), ("format", "text")])).unwrap();
        assert_eq!(text.options.format, PathFormat::Text);
    }

    #[test]
    fn a_missing_or_misspelt_parameter_is_named() {
        let missing = parse(&pairs(&[("from", "a")])).unwrap_err();
        assert!(
            missing.message.contains("`to` is missing"),
            "{}",
            missing.message
        );
        let misspelt = parse(&pairs(&[("from", "a"), ("to", "b"), ("directd", "1")])).unwrap_err();
        assert!(misspelt.message.contains("directd"), "{}", misspelt.message);
        let not_a_number = parse(&pairs(&[("from", "a"), ("to", "b"), ("k", "x")])).unwrap_err();
        assert_eq!(not_a_number.status, 400);
        let not_a_bool =
            parse(&pairs(&[("from", "a"), ("to", "b"), ("directed", "maybe")])).unwrap_err();
        assert!(not_a_bool.message.contains("true or false"));
    }
}
