//! `storygraph serve`: the store offered to SPARQL clients over HTTP.
//! A pool of worker threads takes requests from one listener (tiny_http),
//! reads each into plain parts, lets `routes` answer, and adds the
//! headers every answer gets (CORS when allowed). Ctrl-C or SIGTERM stops
//! the listener; requests being answered finish, then the store closes.

mod negotiate;
mod path_args;
mod protocol;
mod reply;
mod routes;

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use storygraph::remote::ProtocolClient;
use storygraph::render::terminal::shown_lines;
use storygraph::store::{GraphStore, ServiceClient};
use storygraph::{Error, Result};

use crate::args::ServeArgs;
use crate::outcome::Outcome;
use reply::Reply;
use routes::{Request, Service};

/// Serves `store` until Ctrl-C or SIGTERM.
pub fn serve(store: GraphStore, args: &ServeArgs) -> Result<Outcome> {
    let cannot_listen = |e: &dyn std::fmt::Display| {
        Error::Usage(format!(
            "cannot listen on {}: {e}; pick another --bind HOST:PORT (port 0 takes a free one)",
            args.bind
        ))
    };
    let listener = std::net::TcpListener::bind(args.bind).map_err(|e| cannot_listen(&e))?;
    // An answer is written in parts (head, then body): with Nagle's
    // algorithm each keep-alive request then waits ~40 ms for the client's
    // delayed ACK. Accepted connections inherit the option (Linux).
    let _ = nix::sys::socket::setsockopt(&listener, nix::sys::socket::sockopt::TcpNoDelay, &true);
    let server = tiny_http::Server::from_listener(listener, None).map_err(|e| cannot_listen(&e))?;
    let address = server
        .server_addr()
        .to_ip()
        .map_or_else(|| args.bind.to_string(), |a| a.to_string());
    let server = Arc::new(server);
    let workers = usize::from(args.workers);
    let stopping = Arc::new(AtomicBool::new(false));
    {
        let server = server.clone();
        let stopping = stopping.clone();
        ctrlc::set_handler(move || {
            stopping.store(true, Ordering::SeqCst);
            for _ in 0..workers {
                server.unblock();
            }
        })
        .map_err(|e| Error::Usage(format!("cannot watch for Ctrl-C and SIGTERM: {e}")))?;
    }
    let services = args
        .allow_service
        .then(|| Arc::new(ProtocolClient::new(args.timeout)) as Arc<dyn ServiceClient>);
    let where_from = store.location().map_or_else(
        || "an in-memory store".to_owned(),
        |p| p.display().to_string(),
    );
    let service = Arc::new(Service::new(store, args.read_write, args.timeout, services));
    if !args.bind.ip().is_loopback() {
        eprintln!(
            "warning: {}",
            shown_lines(&format!(
                "listening on {}: other machines can reach this server{}",
                args.bind.ip(),
                if args.read_write {
                    " and change the store"
                } else {
                    ""
                }
            ))
        );
    }
    eprintln!(
        "storygraph serves {} at http://{address}/sparql ({}, SERVICE {}); Ctrl-C stops it",
        shown_lines(&where_from),
        if args.read_write {
            "read-write"
        } else {
            "read-only"
        },
        if args.allow_service {
            "allowed"
        } else {
            "refused"
        },
    );
    let threads: Vec<_> = (0..workers)
        .map(|n| {
            let server = server.clone();
            let service = service.clone();
            let stopping = stopping.clone();
            let settings = args.clone();
            std::thread::Builder::new()
                .name(format!("storygraph-serve-{n}"))
                .spawn(move || {
                    while let Ok(request) = server.recv() {
                        answer(&service, &settings, request);
                        if stopping.load(Ordering::SeqCst) {
                            break;
                        }
                    }
                })
        })
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io("starting the server's workers", e))?;
    for thread in threads {
        // A worker that panicked has already lost its request; the others
        // still finish theirs.
        let _ = thread.join();
    }
    if args.read_write {
        if let Ok(service) = Arc::try_unwrap(service) {
            service.store.flush()?;
        }
    }
    eprintln!("storygraph serve stopped");
    Ok(Outcome::Success)
}

/// Reads one request, answers it, and sends the answer.
fn answer(service: &Service, settings: &ServeArgs, mut request: tiny_http::Request) {
    let header = |name: &str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_owned())
    };
    let origin = header("Origin");
    let content_type = header("Content-Type");
    let accept = header("Accept");
    let method = request.method().as_str().to_owned();
    let url = request.url().to_owned();
    let (path, query_string) = url.split_once('?').unwrap_or((url.as_str(), ""));
    let reply = if method == "OPTIONS" {
        preflight(settings, origin.as_deref())
    } else {
        match read_body(&mut request, settings.max_body) {
            Ok(body) => service.handle(&Request {
                method: &method,
                path,
                query_string,
                content_type: content_type.as_deref(),
                accept: accept.as_deref(),
                body: &body,
            }),
            Err(reply) => reply,
        }
    };
    let mut headers: Vec<tiny_http::Header> = Vec::new();
    let mut add = |name: &str, value: &str| {
        if let Ok(header) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            headers.push(header);
        }
    };
    if !reply.content_type.is_empty() {
        add("Content-Type", &reply.content_type);
    }
    for (name, value) in &reply.headers {
        add(name, value);
    }
    if let Some(allowed) = allowed_origin(settings, origin.as_deref()) {
        add("Access-Control-Allow-Origin", &allowed);
        add("Vary", "Origin");
    }
    let status = reply.status;
    let (len, body) = reply.into_body();
    let response = tiny_http::Response::new(status.into(), headers, body, Some(len), None);
    // A client that went away is not the server's failure.
    let _ = request.respond(response);
}

/// The request's body, at most `max` bytes (413 beyond).
fn read_body(request: &mut tiny_http::Request, max: u64) -> std::result::Result<Vec<u8>, Reply> {
    let too_large = || {
        Reply::new(
            413,
            format!("the request body is larger than {max} bytes (serve --max-body)"),
        )
    };
    if request
        .body_length()
        .is_some_and(|len| u64::try_from(len).unwrap_or(u64::MAX) > max)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    request
        .as_reader()
        .take(max.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| Reply::bad_request(format!("cannot read the request body: {e}")))?;
    if body.len() as u64 > max {
        return Err(too_large());
    }
    Ok(body)
}

/// The `Access-Control-Allow-Origin` value for a request from `origin`,
/// when `--cors` allows it.
fn allowed_origin(settings: &ServeArgs, origin: Option<&str>) -> Option<String> {
    let origin = origin?;
    if settings.cors.iter().any(|o| o == "*") {
        return Some("*".to_owned());
    }
    settings
        .cors
        .iter()
        .any(|o| o.trim_end_matches('/') == origin)
        .then(|| origin.to_owned())
}

/// The answer to a CORS preflight (`OPTIONS`).
fn preflight(settings: &ServeArgs, origin: Option<&str>) -> Reply {
    let mut reply = Reply::no_content();
    reply
        .headers
        .push(("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS".to_owned()));
    if allowed_origin(settings, origin).is_some() {
        reply.headers.extend([
            (
                "Access-Control-Allow-Methods",
                "GET, HEAD, POST, PUT, DELETE".to_owned(),
            ),
            (
                "Access-Control-Allow-Headers",
                "Accept, Content-Type, Authorization".to_owned(),
            ),
            ("Access-Control-Max-Age", "600".to_owned()),
        ]);
    }
    reply
}
