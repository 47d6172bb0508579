//! How a command ended, and where its output goes: the leaf every other
//! module of the binary may use. A command writes its result to the
//! `Write` it is given; [`write_stdout`] gives it a buffered, locked
//! stdout and flushes it once.

use std::io::{self, BufWriter, Write};

use storygraph::{Error, Result};

/// How a successful command ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The command worked but found nothing (exit code 1).
    NoResult,
    /// Failures were reported already (a script); exit with this code.
    Failure(u8),
}

impl Outcome {
    /// `Success`, or `NoResult` when there was nothing to show.
    pub fn found(empty: bool) -> Outcome {
        if empty {
            Outcome::NoResult
        } else {
            Outcome::Success
        }
    }
}

/// An error writing a command's result.
pub fn write_error(e: io::Error) -> Error {
    Error::io("writing the result", e)
}

/// Runs `write` on buffered stdout and flushes it.
pub fn write_stdout<T>(write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let value = write(&mut out)?;
    out.flush().map_err(|e| Error::io("writing to stdout", e))?;
    Ok(value)
}

/// Runs `write` on a new file at `path` (buffered) and flushes it.
pub fn write_file<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> Result<T> {
    let file = std::fs::File::create(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let mut file = BufWriter::new(file);
    write(&mut file)
        .and_then(|value| file.flush().map(|()| value))
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))
}
