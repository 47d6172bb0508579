//! The `storygraph` binary: parse the command line, run it, print an error
//! once with its context, and exit with a code that means something
//! (0 ok, 1 no result or failure, 2 bad input or usage).

mod app;
mod cli;
mod export_command;
mod graph_commands;
mod progress;
mod shell;

use std::process::ExitCode;

use clap::Parser;

// Ingest and path projection allocate and free millions of small strings;
// with glibc's allocator that was a third of an ingest's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    match app::run(args) {
        Ok(app::Outcome::Success) => ExitCode::SUCCESS,
        Ok(app::Outcome::NoResult) => ExitCode::from(1),
        Ok(app::Outcome::Failure(code)) => ExitCode::from(code),
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
