//! Running one statement in the session: a dot-command through the same
//! functions as its CLI subcommand, or SPARQL through the store, with the
//! session's prefixes, format, limit and cancellation.

use std::io::{self, Write};
use std::time::Instant;

use oxigraph::model::NamedNode;
use storygraph::deadline::{self, run_within, CancellationToken};
use storygraph::render::results::{ResultSummary, TableOptions};
use storygraph::render::table::write_table;
use storygraph::render::ListingFormat;
use storygraph::store::{check_syntax, QueryError, QueryOptions, SparqlKind};
use storygraph::{vocab, Error, Result};

use super::commands::{help, parse_dot, Parsed};
use super::statement::{classify, declared_prefixes, Statement};
use super::{Flow, Output, Session};
use crate::args::{DotCommand, ListingArgs, OnOff, ShellTimeout};
use crate::commands::{explore, ingest, listings, merge, remove, sparql};
use crate::outcome::{write_error, Outcome};

impl Session {
    /// Runs one complete statement.
    pub(super) fn execute(&mut self, text: &str) -> Result<Flow> {
        let started = Instant::now();
        let flow = match classify(text) {
            Statement::Empty => return Ok(Flow::Continue(Outcome::Success)),
            Statement::Dot(line) => self.run_dot(&line)?,
            Statement::Sparql(sparql) => {
                let summary = self.run_sparql(&sparql)?;
                if let Some(summary) = summary {
                    self.status(&summary.to_string(), started);
                }
                Flow::Continue(Outcome::Success)
            }
        };
        Ok(flow)
    }

    /// The line after a result: rows (at the prompt) and time (with
    /// `.timer on`), on stderr so that `.output` files hold only results.
    fn status(&self, what: &str, started: Instant) {
        let time = format!("{:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
        match (self.interactive, self.timer) {
            (true, true) => eprintln!("{what} in {time}"),
            (true, false) => eprintln!("{what}"),
            (false, true) => eprintln!("{what} in {time}"),
            (false, false) => {}
        }
    }

    fn run_dot(&mut self, line: &str) -> Result<Flow> {
        let started = Instant::now();
        let command = match parse_dot(line)? {
            Parsed::Help(text) => {
                self.write_output(|_, out| write_text(out, &text))?;
                return Ok(Flow::Continue(Outcome::Success));
            }
            Parsed::Command(command) => *command,
        };
        let timed = !matches!(
            command,
            DotCommand::Help { .. }
                | DotCommand::Prefix { .. }
                | DotCommand::Prefixes
                | DotCommand::Format { .. }
                | DotCommand::Output { .. }
                | DotCommand::Timer { .. }
                | DotCommand::Limit { .. }
                | DotCommand::Timeout { .. }
                | DotCommand::Read { .. }
                | DotCommand::Quit
        );
        let outcome = match command {
            DotCommand::Quit => return Ok(Flow::Quit),
            DotCommand::Output { file } => {
                self.set_output(file)?;
                Outcome::Success
            }
            DotCommand::Read { file } => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| Error::io(format!("cannot read {}", file.display()), e))?;
                return super::run::nested_script(self, &text, &file.display().to_string());
            }
            DotCommand::Ingest(request) => {
                self.writable()?;
                let outcome = ingest::ingest_files(&self.store, &request);
                // Even a partly failed stream may have written lines.
                self.store_changed()?;
                outcome?
            }
            DotCommand::Remove(request) => {
                self.writable()?;
                let outcome = remove::remove_articles(&self.store, &request)?;
                self.store_changed()?;
                outcome
            }
            DotCommand::Merge(request) => {
                self.writable()?;
                let projection = self.projection()?;
                let outcome = merge::merge(&self.store, &projection, &request)?;
                self.store_changed()?;
                outcome
            }
            DotCommand::Unmerge(request) => {
                self.writable()?;
                let outcome = merge::unmerge(&self.store, &request)?;
                self.store_changed()?;
                outcome
            }
            other => self.write_output(|session, out| session.dispatch(other, out))?,
        };
        if timed && self.timer {
            self.status("done", started);
        }
        Ok(Flow::Continue(outcome))
    }

    /// Dot-commands that write to the output.
    fn dispatch(&mut self, command: DotCommand, out: &mut dyn Write) -> Result<Outcome> {
        // A listing's own --format, else the session's when it fits.
        let session_format = self.format.and_then(|f| f.listing());
        let listing = |args: &ListingArgs| {
            args.format
                .or(session_format)
                .unwrap_or(ListingFormat::Table)
        };
        match command {
            DotCommand::Help { command } => {
                write_text(out, &help(command.as_deref())?)?;
                Ok(Outcome::Success)
            }
            DotCommand::Paths(request) => explore::k_paths(&*self.projection()?, &request, out),
            DotCommand::Explore(command) => {
                let projection = self.projection()?;
                self.stoppable(command.timeout(), |session, token| {
                    explore::run(&session.store, &projection, &command, token, out)
                })
            }
            DotCommand::Stats(args) => listings::stats(&self.store, listing(&args), out),
            DotCommand::Articles(args) => listings::articles(&self.store, listing(&args), out),
            DotCommand::Prefix { prefix, iri } => {
                self.declare_prefix(&prefix, &iri)?;
                Ok(Outcome::Success)
            }
            DotCommand::Prefixes => {
                let mut rows: Vec<Vec<String>> = self
                    .shared
                    .prefixes()
                    .into_iter()
                    .map(|(p, ns)| vec![format!("{p}:"), ns, "this session".to_owned()])
                    .collect();
                rows.extend(
                    vocab::PREFIXES.iter().map(|(p, ns)| {
                        vec![format!("{p}:"), (*ns).to_owned(), "built in".to_owned()]
                    }),
                );
                let header = ["prefix", "namespace", "declared"].map(str::to_owned);
                write_table(out, &header, &rows).map_err(write_error)?;
                Ok(Outcome::Success)
            }
            DotCommand::Format { format } => {
                match format {
                    Some(format) => self.format = Some(format),
                    None => {
                        let current = self.format.map_or_else(
                            || "table on a terminal, tsv otherwise (turtle for graphs)".to_owned(),
                            |f| f.to_string(),
                        );
                        write_text(out, &format!("format: {current}\n"))?;
                    }
                }
                Ok(Outcome::Success)
            }
            DotCommand::Timer { state } => {
                self.timer = state == OnOff::On;
                Ok(Outcome::Success)
            }
            DotCommand::Limit { rows } => {
                self.limit = (rows > 0).then_some(rows);
                Ok(Outcome::Success)
            }
            DotCommand::Timeout { seconds } => {
                match seconds {
                    Some(ShellTimeout::Off) => self.timeout = None,
                    Some(ShellTimeout::After(after)) => self.timeout = Some(after),
                    None => {
                        let current = self.timeout.map_or_else(
                            || "off".to_owned(),
                            |after| format!("{} s", deadline::seconds(after)),
                        );
                        write_text(out, &format!("timeout: {current}\n"))?;
                    }
                }
                Ok(Outcome::Success)
            }
            DotCommand::Explain { query } => {
                let options = QueryOptions {
                    prefixes: self.shared.prefixes(),
                    ..QueryOptions::default()
                };
                self.store
                    .explain(&query, &options, out)
                    .map_err(|e| sparql::with_caret(&query, e))?;
                writeln!(out).map_err(write_error)?;
                Ok(Outcome::Success)
            }
            DotCommand::Quit
            | DotCommand::Output { .. }
            | DotCommand::Read { .. }
            | DotCommand::Ingest(_)
            | DotCommand::Remove(_)
            | DotCommand::Merge(_)
            | DotCommand::Unmerge(_) => unreachable!("handled by run_dot"),
        }
    }

    fn projection(&mut self) -> Result<std::sync::Arc<storygraph::graph::Projection>> {
        self.projection.get(&self.store)
    }

    fn set_output(&mut self, file: Option<std::path::PathBuf>) -> Result<()> {
        self.output = match file {
            None => Output::Stdout,
            Some(path) => {
                let file = std::fs::File::create(&path)
                    .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
                Output::File {
                    path,
                    file: io::BufWriter::new(file),
                }
            }
        };
        Ok(())
    }

    fn declare_prefix(&mut self, prefix: &str, iri: &str) -> Result<()> {
        let Some(name) = prefix.strip_suffix(':') else {
            return Err(Error::Usage(format!(
                "a prefix ends with a colon: .prefix {prefix}: <{iri}>"
            )));
        };
        let iri = iri.trim_start_matches('<').trim_end_matches('>');
        NamedNode::new(iri).map_err(|e| Error::Usage(format!("<{iri}> is not an IRI: {e}")))?;
        self.remember_prefixes(vec![(name.to_owned(), iri.to_owned())]);
        Ok(())
    }

    fn remember_prefixes(&mut self, declared: Vec<(String, String)>) {
        if let Ok(mut prefixes) = self.shared.prefixes.write() {
            for (name, iri) in declared {
                prefixes.retain(|(p, _)| *p != name);
                prefixes.push((name, iri));
            }
        }
    }

    /// Runs a query or update; `None` for an update (nothing to count).
    fn run_sparql(&mut self, text: &str) -> Result<Option<ResultSummary>> {
        let prefixes = self.shared.prefixes();
        let kind = check_syntax(text, &prefixes).map_err(|e| sparql::with_caret(text, e))?;
        sparql::warn_of_unknown_terms(&self.store, text);
        self.remember_prefixes(declared_prefixes(text));
        let options = |token: &CancellationToken| QueryOptions {
            default_graph_only: false,
            cancellation: Some(token.clone()),
            prefixes: prefixes.clone(),
            ..QueryOptions::default()
        };
        if kind == SparqlKind::Update {
            self.writable()?;
        }
        self.stoppable(None, |session, token| {
            if kind == SparqlKind::Update {
                session.store.update(text, &options(token))?;
                session.store.flush()?;
                session.store_changed()?;
                Ok(None)
            } else {
                session
                    .write_query(text, &options(token), &prefixes)
                    .map(Some)
            }
        })
    }

    /// Runs `work` with a token that Ctrl-C and the deadline (`timeout`,
    /// else the session's `.timeout`) cancel; the work stops where it
    /// checks the token, and its failure then says why it stopped.
    pub(super) fn stoppable<T>(
        &mut self,
        timeout: Option<std::time::Duration>,
        work: impl FnOnce(&mut Self, &CancellationToken) -> Result<T>,
    ) -> Result<T> {
        let token = CancellationToken::new();
        if let Ok(mut running) = self.running.lock() {
            *running = Some(token.clone());
        }
        if self.interrupted.load(std::sync::atomic::Ordering::SeqCst) {
            // Ctrl-C came after the line was read, before the work started.
            token.cancel();
        }
        let result = run_within(timeout.or(self.timeout), &token, || work(self, &token));
        if let Ok(mut running) = self.running.lock() {
            *running = None;
        }
        match result {
            Err(Error::TimedOut { after }) => Err(Error::TimedOut { after }),
            _ if token.is_cancelled() => Err(Error::Query(QueryError::Cancelled)),
            result => result,
        }
    }

    fn write_query(
        &mut self,
        text: &str,
        options: &QueryOptions,
        prefixes: &[(String, String)],
    ) -> Result<ResultSummary> {
        let results = self.store.query(text, options)?;
        let terminal = self.output_is_terminal();
        let format = self.format;
        let names = self.shared.names.clone();
        let limit = self.limit;
        self.write_output(|_, out| {
            let names = names.get();
            let table = TableOptions {
                limit,
                labels: Some(&names.labels),
                prefixes,
            };
            sparql::write_query_results(results, format, terminal, &table, out)
        })
    }
}

fn write_text(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(write_error)
}
