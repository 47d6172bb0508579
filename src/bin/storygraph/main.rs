//! The `storygraph` binary: parse the command line, run it, print an error
//! once with its context, and exit with a code that means something
//! (0 ok, 1 no result or failure, 2 bad input or usage).
//!
//! Modules, each using only those below it: `app` (dispatch) -> `backend`
//! (the local or a remote store), `shell`,
//! `serve` -> `commands` (one file per command family) -> `settings` (arguments
//! into library settings), `progress` -> `args` (clap definitions),
//! `outcome` (how a command ended, where output goes).

mod app;
mod args;
mod backend;
mod commands;
mod outcome;
mod progress;
mod serve;
mod settings;
mod shell;

use std::process::ExitCode;
use storygraph::render::terminal::shown_lines;

use clap::Parser;

// Ingest and path projection allocate and free millions of small strings;
// with glibc's allocator that was a third of an ingest's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = args::Args::parse();
    match app::run(args) {
        Ok(outcome::Outcome::Success) => ExitCode::SUCCESS,
        Ok(outcome::Outcome::NoResult) => ExitCode::from(1),
        Ok(outcome::Outcome::Failure(code)) => ExitCode::from(code),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            // Names and values in messages come from the store: shown escaped.
            eprintln!("error: {}", shown_lines(&err.to_string()));
            ExitCode::from(err.exit_code())
        }
    }
}
