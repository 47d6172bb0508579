//! How a command ended, and where its output goes: the leaf every other
//! module of the binary may use. A command writes its result to the
//! `Write` it is given; [`write_stdout`] gives it a buffered, locked
//! stdout and flushes it once; [`write_stdout_whole`] and [`write_file`]
//! let nothing of a result that failed half-way be seen.

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

/// Runs `write` on a spool (memory, then a temporary file past 16 MiB)
/// and copies it to stdout only when it succeeded: a query that fails
/// half-way leaves no half document for the program reading stdout.
pub fn write_stdout_whole<T>(write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
    let stdout = io::stdout();
    write_whole(&mut stdout.lock(), "writing to stdout", write)
}

/// Runs `write` on a spool and copies it to `dest` only when it
/// succeeded; `context` names `dest` in an error writing to it.
pub fn write_whole<T>(
    dest: &mut dyn Write,
    context: &str,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    use std::io::Seek;
    let spool_error = |e| Error::io("spooling the result", e);
    let mut spool = BufWriter::new(tempfile::spooled_tempfile(16 << 20));
    let value = write(&mut spool)?;
    let mut spool = spool
        .into_inner()
        .map_err(|e| spool_error(e.into_error()))?;
    spool.rewind().map_err(spool_error)?;
    io::copy(&mut spool, dest).map_err(|e| Error::io(context, e))?;
    dest.flush().map_err(|e| Error::io(context, e))?;
    Ok(value)
}

/// Runs `write` on a new temporary file beside `path` and renames it to
/// `path` when it succeeded: a failure leaves `path` as it was, never half
/// written.
pub fn write_file<T>(
    path: &std::path::Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<T>,
) -> Result<T> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => std::path::Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".storygraph-");
    // As `File::create` would (the umask applies), not a temporary's 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let temporary = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    let mut file = BufWriter::new(temporary);
    let value = write(&mut file)
        .and_then(|value| file.flush().map(|()| value))
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
    let temporary = file
        .into_inner()
        .map_err(|e| Error::io(format!("writing {}", path.display()), e.into_error()))?;
    temporary
        .persist(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e.error))?;
    Ok(value)
}
