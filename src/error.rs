//! The library's error type and what each error means as an exit code:
//! 2 for bad input or usage (fix the command or the file), 1 for failures
//! (the store, the system, a query that could not run).

use crate::extract::chat::ChatError;
use crate::graph::NameError;
use crate::ingest::IngestError;
use crate::render::results::RenderError;
use crate::search::SearchError;
use crate::store::{QueryError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A name of an entity, predicate or article that names nothing (or
    /// several things).
    #[error(transparent)]
    Name(#[from] NameError),
    /// The chat model of `extract` could not be asked or did not answer.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// A remote store could not be reached or refused a request.
    #[error(transparent)]
    Remote(#[from] crate::remote::RemoteError),
    /// The search index could not be built or read.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// A command used wrongly; the message says how to use it.
    #[error("{0}")]
    Usage(String),
    /// `--timeout` (or the shell's `.timeout`) ran out; the work was
    /// stopped, and an update changed nothing.
    #[error("timed out after {} s and was stopped; give more time with --timeout (.timeout in the shell) or narrow the work", crate::deadline::seconds(*after))]
    TimedOut { after: std::time::Duration },
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// 2 for input and usage errors, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_)
            | Error::Remote(crate::remote::RemoteError::Config(_))
            | Error::Name(_)
            | Error::Store(
                StoreError::NoArticle { .. }
                | StoreError::Missing { .. }
                | StoreError::NotADirectory { .. }
                | StoreError::NotAStore { .. },
            ) => 2,
            Error::Ingest(e) => match e {
                IngestError::Storage(_) => 1,
                _ => 2,
            },
            Error::Query(QueryError::Syntax { .. }) => 2,
            Error::Render(RenderError::WrongFormat { .. }) => 2,
            Error::Store(_)
            | Error::Query(_)
            | Error::Render(_)
            | Error::TimedOut { .. }
            | Error::Chat(_)
            | Error::Search(_)
            | Error::Remote(_)
            | Error::Io { .. } => 1,
        }
    }

    /// True when the error is only a closed pipe (`storygraph ... | head`),
    /// which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        let io = match self {
            Error::Io { source, .. } => Some(source),
            Error::Render(RenderError::Io(source)) => Some(source),
            _ => None,
        };
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

impl From<oxigraph::store::StorageError> for Error {
    fn from(error: oxigraph::store::StorageError) -> Error {
        Error::Store(StoreError::Storage(error))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
