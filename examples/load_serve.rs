//! A bounded load test of `storygraph serve`, loopback only: C clients,
//! each on its own keep-alive connection, send GET requests in a loop for
//! S seconds, cycling through the paths of a file (one per line, e.g.
//! `/sparql?query=...` or `/path?from=a&to=b`). Prints one Markdown table
//! row: requests per second, median and p99 latency, errors (any status
//! other than 200, or a failed connection).
//!
//!   load_serve BASE_URL PATHS_FILE CLIENTS SECONDS LABEL

use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, base, file, clients, seconds, label] = args.as_slice() else {
        eprintln!("usage: load_serve BASE_URL PATHS_FILE CLIENTS SECONDS LABEL");
        return std::process::ExitCode::from(2);
    };
    let (Ok(clients), Ok(seconds)) = (clients.parse::<usize>(), seconds.parse::<f64>()) else {
        eprintln!("CLIENTS is a count and SECONDS a number");
        return std::process::ExitCode::from(2);
    };
    let paths: Arc<Vec<String>> = match std::fs::read_to_string(file) {
        Ok(text) => Arc::new(
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
        ),
        Err(e) => {
            eprintln!("cannot read {file}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if paths.is_empty() {
        eprintln!("{file} holds no paths");
        return std::process::ExitCode::from(2);
    }
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|client| {
            let paths = paths.clone();
            let base = base.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut latencies = Vec::new();
                let mut errors = 0usize;
                let mut next = client * 7919;
                while Instant::now() < until {
                    let path = &paths[next % paths.len()];
                    next += 1;
                    let sent = Instant::now();
                    let ok = match agent.get(format!("{base}{path}")).call() {
                        Ok(mut response) => {
                            let status = response.status().as_u16();
                            let read = response.body_mut().read_to_vec().is_ok();
                            status == 200 && read
                        }
                        Err(_) => false,
                    };
                    latencies.push(sent.elapsed());
                    if !ok {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        if let Ok((mine, failed)) = worker.join() {
            latencies.extend(mine);
            errors += failed;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "| {label} | {clients} | {} | {:.0} | {:.2} | {:.2} | {errors} |",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        at(0.5),
        at(0.99)
    );
    if errors > 0 {
        std::process::ExitCode::from(1)
    } else {
        std::process::ExitCode::SUCCESS
    }
}
