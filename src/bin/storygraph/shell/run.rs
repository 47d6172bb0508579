//! The two ways statements arrive: typed at the prompt (rustyline, with
//! history, completion and Ctrl-C handling) or read from a script (`-c`,
//! stdin, `.read FILE`), where the first failure stops the run unless
//! `--keep-going`.

use std::io::IsTerminal;

use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::MemHistory;
use rustyline::Editor;
use storygraph::render::terminal::shown_lines;
use storygraph::{Error, Result};

use super::helper::ShellHelper;
use super::history::{self, History};
use super::statement::{completeness, Completeness, Splitter};
use super::{Flow, Session};
use crate::outcome::Outcome;

const PROMPT: &str = "storygraph> ";
/// The prompt of a statement's further lines, as wide as [`PROMPT`].
const CONTINUATION: &str = "       ...> ";

/// Prints an error the way `main` does.
fn report(error: &Error) {
    // Names and values in messages come from the store: shown escaped.
    eprintln!("error: {}", shown_lines(&error.to_string()));
}

/// The interactive loop. Ctrl-C clears the input (or cancels a running
/// query), Ctrl-D leaves; errors are printed and the shell goes on.
pub fn prompt(session: &mut Session) -> Result<Outcome> {
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal();
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .color_mode(if colour {
            ColorMode::Enabled
        } else {
            ColorMode::Disabled
        })
        .auto_add_history(false)
        .build();
    let mut editor: Editor<ShellHelper, MemHistory> =
        Editor::with_history(config, MemHistory::new())
            .map_err(|e| Error::Usage(format!("cannot start the line editor: {e}")))?;
    editor.set_helper(Some(ShellHelper::new(session.shared.clone(), colour)));
    let history_path = history::default_path();
    let mut history = match &history_path {
        Some(path) => History::load(path).unwrap_or_else(|e| {
            eprintln!("warning: cannot read the history {}: {e}", path.display());
            History::default()
        }),
        None => History::default(),
    };
    load_history(&mut editor, &history);

    // While a query runs the terminal is out of raw mode, so Ctrl-C is a
    // signal; the handler cancels the running query, if any, and nothing
    // else (the shell never exits on Ctrl-C).
    let running = session.running.clone();
    let interrupted = session.interrupted.clone();
    let handler = ctrlc::set_handler(move || {
        interrupted.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Ok(running) = running.lock() {
            if let Some(token) = running.as_ref() {
                token.cancel();
            }
        }
    });
    if let Err(e) = handler {
        eprintln!("warning: Ctrl-C cannot cancel queries: {e}");
    }

    eprintln!(
        "storygraph shell on {}. .help lists the commands, Ctrl-D leaves.",
        store_name(session)
    );
    // The lines of the statement being typed.
    let mut typed = String::new();
    loop {
        // The terminal is raw while the editor reads: no SIGINT can come
        // until the line is returned, so this forgets only older keys.
        session
            .interrupted
            .store(false, std::sync::atomic::Ordering::SeqCst);
        let prompt = if typed.is_empty() {
            PROMPT
        } else {
            CONTINUATION
        };
        match editor.readline(prompt) {
            Ok(line) => {
                // A dot-command line ends the SPARQL typed before it.
                if line.trim_start().starts_with('.') && !typed.trim().is_empty() {
                    let before = std::mem::take(&mut typed);
                    if let Ok(Flow::Quit) = run_typed(session, &before) {
                        break;
                    }
                }
                if !typed.is_empty() {
                    typed.push('\n');
                }
                typed.push_str(&line);
                if completeness(&typed) == Completeness::Incomplete {
                    continue;
                }
                let statement = std::mem::take(&mut typed);
                let entry = statement.trim_end();
                if history.add(entry) {
                    load_history(&mut editor, &history);
                } else if !entry.trim().is_empty() {
                    let _ = editor.add_history_entry(entry.trim());
                }
                if let Some(path) = &history_path {
                    if !entry.trim().is_empty() {
                        if let Err(e) = History::append_to_file(path, entry) {
                            eprintln!("warning: cannot save the history {}: {e}", path.display());
                        }
                    }
                }
                if let Ok(Flow::Quit) = run_typed(session, &statement) {
                    break;
                }
            }
            // Ctrl-C drops the line, and the statement it continued.
            Err(ReadlineError::Interrupted) => typed.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                session.finish();
                return Err(Error::Usage(format!("the line editor failed: {e}")));
            }
        }
    }
    session.finish();
    Ok(Outcome::Success)
}

/// Runs a statement typed at the prompt; its error is printed, and the
/// shell goes on.
fn run_typed(session: &mut Session, statement: &str) -> Result<Flow> {
    let flow = session.execute(statement);
    match &flow {
        Err(error) if !error.is_broken_pipe() => report(error),
        _ => {}
    }
    flow
}

fn store_name(session: &Session) -> String {
    match session.store.location() {
        Some(path) => path.display().to_string(),
        None => "an in-memory store".to_owned(),
    }
}

/// Replaces the editor's history with ours (done when an entry moved).
fn load_history(editor: &mut Editor<ShellHelper, MemHistory>, history: &History) {
    let _ = editor.clear_history();
    for entry in history.entries() {
        let _ = editor.add_history_entry(entry.as_str());
    }
}

/// Runs a script (its chunks: see [`run_statements`]); the outcome's exit
/// code reports the first failure.
pub fn script(session: &mut Session, chunks: &[&str], name: &str) -> Outcome {
    let result = run_statements(session, chunks, name);
    session.finish();
    match result {
        Ok((_, None)) => Outcome::Success,
        Ok((_, Some(code))) => Outcome::Failure(code),
        Err(error) => {
            report(&error);
            Outcome::Failure(error.exit_code())
        }
    }
}

/// `.read FILE` inside a session: a failure inside the file is the
/// failure of the `.read`.
pub fn nested_script(session: &mut Session, text: &str, name: &str) -> Result<Flow> {
    match run_statements(session, &[text], name)? {
        (Flow::Quit, _) => Ok(Flow::Quit),
        (_, Some(code)) => Err(Error::Usage(format!(
            "{name} had failing statements (exit code {code}; errors above)"
        ))),
        (flow, None) => Ok(flow),
    }
}

/// Runs each statement of `chunks` (a script's text; or the `-c`
/// arguments, each of which ends its statements); returns how it ended and
/// the exit code of the first failure (when `--keep-going` let it go on).
fn run_statements(
    session: &mut Session,
    chunks: &[&str],
    name: &str,
) -> Result<(Flow, Option<u8>)> {
    let mut splitter = Splitter::default();
    let mut failure = None;
    for chunk in chunks {
        let mut lines = chunk.lines();
        loop {
            let next = lines.next();
            let statements = match next {
                Some(line) => splitter.push_line(line),
                None => splitter.end_chunk().into_iter().collect(),
            };
            for (line, statement) in statements {
                match session.execute(&statement) {
                    Ok(Flow::Quit) => return Ok((Flow::Quit, failure)),
                    Ok(Flow::Continue(_)) => {}
                    Err(error) if error.is_broken_pipe() => return Ok((Flow::Quit, failure)),
                    Err(error) => {
                        let code = error.exit_code();
                        let error = Error::Usage(format!("{name}, line {line}: {error}"));
                        if !session.keep_going {
                            return Err(error);
                        }
                        report(&error);
                        failure.get_or_insert(code);
                    }
                }
            }
            if next.is_none() {
                break;
            }
        }
    }
    Ok((Flow::Continue(Outcome::Success), failure))
}
