//! `storygraph serve`: the store offered to SPARQL clients over HTTP.

use std::net::SocketAddr;
use std::time::Duration;

/// How `serve` listens and what it allows.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The address and port to listen on (port 0 picks a free one; the
    /// address in use is printed). Loopback by default: give 0.0.0.0:PORT
    /// to be reached from other machines
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:7878")]
    pub bind: SocketAddr,
    /// Accept SPARQL updates and Graph Store writes (PUT, POST, DELETE);
    /// without it the store is opened read-only and writes get 403
    #[arg(long)]
    pub read_write: bool,
    /// Stop a query, path search or update after this many seconds (the
    /// work itself stops; the client gets 503)
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = storygraph::deadline::parse_seconds)]
    pub timeout: Duration,
    /// Let queries reach other SPARQL endpoints with SERVICE (refused
    /// otherwise: the server must not be a way to reach other hosts)
    #[arg(long)]
    pub allow_service: bool,
    /// Let web pages from this origin call the server (CORS; repeatable;
    /// `*` for any). Without it no CORS header is sent
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Vec<String>,
    /// The largest request body accepted, in bytes (413 beyond)
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_body: u64,
    /// Requests answered at once (more wait for a free worker)
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub workers: u16,
}

/// The query parameters of `serve`'s `/path`, read as the `path` command's
/// arguments: `from` and `to`, and every `path` option by its long name
/// (`k=2`, `directed=true`, `min-certainty=reported`, `format=text`).
#[derive(Debug, clap::Parser)]
#[command(name = "/path", no_binary_name = true, disable_help_flag = true)]
pub struct PathRequest {
    #[command(flatten)]
    pub path: super::PathArgs,
}
