//! The rustyline helper: glue between the editor and the shell's plain
//! functions for completion ([`super::complete`]) and colour
//! ([`super::highlight`]).
//! Hints come from the history (rustyline's `HistoryHinter`).

use std::borrow::Cow;
use std::sync::{Arc, RwLock};

use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::complete::{complete, NamesCell};
use super::highlight::highlight;

/// State the helper shares with the session: names change after an
/// ingest, prefixes after `.prefix` or a query's PREFIX.
#[derive(Clone, Default)]
pub struct Shared {
    pub names: NamesCell,
    pub prefixes: Arc<RwLock<Vec<(String, String)>>>,
}

impl Shared {
    pub fn prefixes(&self) -> Vec<(String, String)> {
        self.prefixes.read().map(|p| p.clone()).unwrap_or_default()
    }
}

pub struct ShellHelper {
    shared: Shared,
    colour: bool,
    hinter: HistoryHinter,
    files: FilenameCompleter,
}

impl ShellHelper {
    pub fn new(shared: Shared, colour: bool) -> ShellHelper {
        ShellHelper {
            shared,
            colour,
            hinter: HistoryHinter::new(),
            files: FilenameCompleter::new(),
        }
    }
}

impl Completer for ShellHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let prefixes = self.shared.prefixes();
        let found = complete(line, pos, &self.shared.names.get(), &prefixes);
        if found.files {
            return self.files.complete(line, pos, ctx);
        }
        let pairs = found
            .candidates
            .into_iter()
            .map(|c| Pair {
                display: c.display,
                replacement: c.replacement,
            })
            .collect();
        Ok((found.start, pairs))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.colour {
            Cow::Owned(highlight(line, pos))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.colour {
            Cow::Owned(format!("\x1b[90m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        // Redraw on every edit and cursor move: colours and the matching
        // bracket depend on both.
        self.colour && kind != CmdKind::ForcedRefresh
    }
}

/// Every line is accepted as typed: the prompt loop gathers a statement's
/// lines itself, so that continuation lines get their own prompt.
impl Validator for ShellHelper {}

impl Helper for ShellHelper {}
