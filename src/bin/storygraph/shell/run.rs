//! The two ways statements arrive: typed at the prompt (rustyline, with
//! history, completion and Ctrl-C handling) or read from a script (`-c`,
//! stdin, `.read FILE`), where the first failure stops the run unless
//! `--keep-going`.

use std::io::IsTerminal;

use rustyline::config::{ColorMode, CompletionType, Config};
use rustyline::error::ReadlineError;
use rustyline::history::MemHistory;
use rustyline::Editor;
use storygraph::{Error, Result};

use super::helper::ShellHelper;
use super::history::{self, History};
use super::statement::Splitter;
use super::{Flow, Session};
use crate::outcome::Outcome;

const PROMPT: &str = "storygraph> ";

/// Prints an error the way `main` does.
fn report(error: &Error) {
    eprintln!("error: {error}");
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
    loop {
        // The terminal is raw while the editor reads: no SIGINT can come
        // until the line is returned, so this forgets only older keys.
        session
            .interrupted
            .store(false, std::sync::atomic::Ordering::SeqCst);
        match editor.readline(PROMPT) {
            Ok(line) => {
                if history.add(&line) {
                    load_history(&mut editor, &history);
                } else if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.trim());
                }
                if let Some(path) = &history_path {
                    if !line.trim().is_empty() {
                        if let Err(e) = History::append_to_file(path, &line) {
                            eprintln!("warning: cannot save the history {}: {e}", path.display());
                        }
                    }
                }
                match session.execute(&line) {
                    Ok(Flow::Quit) => break,
                    Ok(Flow::Continue(_)) => {}
                    Err(error) if error.is_broken_pipe() => {}
                    Err(error) => report(&error),
                }
            }
            Err(ReadlineError::Interrupted) => continue,
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

/// Runs a script; the outcome's exit code reports the first failure.
pub fn script(session: &mut Session, text: &str, name: &str) -> Outcome {
    let result = run_statements(session, text, name);
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
    match run_statements(session, text, name)? {
        (Flow::Quit, _) => Ok(Flow::Quit),
        (_, Some(code)) => Err(Error::Usage(format!(
            "{name} had failing statements (exit code {code}; errors above)"
        ))),
        (flow, None) => Ok(flow),
    }
}

/// Runs each statement of `text`; returns how it ended and the exit code
/// of the first failure (when `--keep-going` let it continue).
fn run_statements(session: &mut Session, text: &str, name: &str) -> Result<(Flow, Option<u8>)> {
    let mut splitter = Splitter::default();
    let mut failure = None;
    let mut statements = Vec::new();
    let mut lines = text.lines();
    loop {
        let next = lines.next();
        match next {
            Some(line) => {
                if let Some(statement) = splitter.push_line(line, &session.shared.prefixes()) {
                    statements.push(statement);
                }
            }
            None => statements.extend(std::mem::take(&mut splitter).finish()),
        }
        for (line, statement) in statements.drain(..) {
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
            return Ok((Flow::Continue(Outcome::Success), failure));
        }
    }
}
