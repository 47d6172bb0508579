//! What a handler answers: a status, a media type, extra headers and a
//! body held in memory or spooled to a temporary file (a large result is
//! written whole before it is sent, so an error half-way is still a clean
//! error status, never a truncated 200).

use std::io::{Read, Seek, SeekFrom, Write};

use storygraph::Error;
use tempfile::SpooledTempFile;

/// Results up to this size stay in memory; larger ones go to a file.
const IN_MEMORY: usize = 8 * 1024 * 1024;

pub enum Body {
    Bytes(Vec<u8>),
    Spooled { file: SpooledTempFile, len: usize },
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(&'static str, String)>,
    /// Boxed: a spooled file is large, and errors travel as `Reply`.
    pub body: Box<Body>,
    /// The text of an error reply (empty on success), for tests and logs.
    pub message: String,
}

impl Reply {
    /// A plain-text reply; an error's text ends with a newline.
    pub fn new(status: u16, message: impl Into<String>) -> Reply {
        let message = message.into();
        Reply {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            headers: Vec::new(),
            body: Box::new(Body::Bytes(format!("{message}\n").into_bytes())),
            message,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Reply {
        Reply::new(400, message)
    }

    pub fn method_not_allowed(method: &str, allow: &'static str) -> Reply {
        let mut reply = Reply::new(
            405,
            format!("{method} is not allowed here; this resource answers {allow}"),
        );
        reply.headers.push(("Allow", allow.to_owned()));
        reply
    }

    pub fn read_only(what: &str) -> Reply {
        Reply::new(
            403,
            format!("{what} refused: this server is read-only; start it with `storygraph serve --read-write` to accept writes"),
        )
    }

    /// 204: done, nothing to say.
    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            content_type: String::new(),
            headers: Vec::new(),
            body: Box::new(Body::Bytes(Vec::new())),
            message: String::new(),
        }
    }

    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: Box::new(Body::Bytes(body)),
            message: String::new(),
        }
    }

    /// A reply whose body `write` produces (spooled, then sent whole);
    /// an error from `write` becomes the error's reply.
    pub fn written(
        content_type: &str,
        write: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
    ) -> Reply {
        let mut file = SpooledTempFile::new(IN_MEMORY);
        if let Err(error) = write(&mut file) {
            return Reply::error(&error);
        }
        let len = match file.seek(SeekFrom::End(0)).and_then(|len| {
            file.seek(SeekFrom::Start(0))?;
            Ok(len)
        }) {
            Ok(len) => usize::try_from(len).unwrap_or(usize::MAX),
            Err(e) => return Reply::new(500, format!("cannot spool the result: {e}")),
        };
        Reply {
            status: 200,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: Box::new(Body::Spooled { file, len }),
            message: String::new(),
        }
    }

    /// The reply for a library error: bad input 400, a name that names
    /// nothing 404, a deadline 503, anything else 500.
    pub fn error(error: &Error) -> Reply {
        use storygraph::store::QueryError;
        let status = match error {
            Error::TimedOut { .. } | Error::Query(QueryError::Cancelled) => 503,
            Error::Name(_) => 404,
            e if e.exit_code() == 2 => 400,
            _ => 500,
        };
        Reply::new(status, error.to_string())
    }

    /// The body's length and a reader of it.
    pub fn into_body(self) -> (usize, Box<dyn Read + Send>) {
        match *self.body {
            Body::Bytes(bytes) => (bytes.len(), Box::new(std::io::Cursor::new(bytes))),
            Body::Spooled { file, len } => (len, Box::new(file)),
        }
    }
}

/// The status and message (a spooled body has no useful `Debug`).
impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.message)
    }
}
