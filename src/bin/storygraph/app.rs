//! Dispatch: open the store a command needs and hand the command to its
//! function in `commands` (or to the shell). Nothing else.

use std::path::PathBuf;

use crate::backend::{default_store_path, open_store, Access, Backend};

use storygraph::deadline::{run_within, CancellationToken};
use storygraph::render::ListingFormat;
use storygraph::store::{GraphStore, QueryOptions};
use storygraph::Result;

use crate::args::{Args, Command, ExploreCommand, ListingArgs, ShellArgs};
use crate::commands::{explore, extract, ingest, listings, merge, remove, search, sparql};
use crate::outcome::{write_stdout, write_stdout_whole, Outcome};

pub fn run(args: Args) -> Result<Outcome> {
    let mut backend = Backend::from_args(&args)?;
    let Some(command) = args.command else {
        return crate::shell::run(backend.open_for_shell()?, &ShellArgs::default());
    };
    // Commands that only read open the store read-only: never created,
    // shared with other readers, usable on a full or read-only disk.
    let listing = |args: &ListingArgs| args.format.unwrap_or(ListingFormat::Table);
    match command {
        Command::Schema => write_stdout(listings::schema),
        Command::Prompt(request) => {
            let store = existing_store(args.store, args.memory)?;
            write_stdout(|out| extract::print_prompt(store.as_ref(), &request, out))
        }
        Command::Extract(request) => {
            if request.ingest && matches!(backend, Backend::Remote { .. }) {
                return Err(storygraph::Error::Usage(
                    "extract --ingest writes to a local store; against a remote store, write the draft with -o FILE and `storygraph --endpoint URL ingest FILE`".into(),
                ));
            }
            let store = existing_store(args.store.clone(), args.memory)?;
            extract::extract(store, &request, || {
                open_store(args.store, args.memory, Access::Write)
            })
        }
        Command::Shell(shell) => crate::shell::run(backend.open_for_shell()?, &shell),
        Command::Ingest(request) => backend.write(|s| ingest::ingest_files(s, &request)),
        Command::Remove(request) => backend.write(|s| remove::remove_articles(s, &request)),
        Command::Merge(request) => backend.write(|s| {
            let projection = explore::projection(s)?;
            merge::merge(s, &projection, &request)
        }),
        Command::Unmerge(request) => backend.write(|s| merge::unmerge(s, &request)),
        Command::Query {
            query,
            file,
            format,
            default_graph_only,
            timeout,
        } => {
            let text = sparql::text_argument(query, file, "query")?;
            sparql::check_text(&text)?;
            if let Backend::Remote { replica, .. } = &mut backend {
                return sparql::remote_query(replica, &text, format, default_graph_only, timeout);
            }
            let options = QueryOptions {
                default_graph_only,
                ..QueryOptions::default()
            };
            sparql::query(&backend.reader()?, &text, format, options, timeout)
        }
        Command::Update {
            update,
            file,
            timeout,
        } => {
            let text = sparql::text_argument(update, file, "update")?;
            sparql::check_text(&text)?;
            if let Backend::Remote { replica, .. } = &mut backend {
                replica.run_update(&text)?;
                return Ok(Outcome::Success);
            }
            backend.write(|s| sparql::update(s, &text, timeout))
        }
        Command::Stats(format) => {
            let store = backend.reader()?;
            write_stdout(|out| listings::stats(&store, listing(&format), out))
        }
        Command::Articles(format) => {
            let store = backend.reader()?;
            write_stdout(|out| listings::articles(&store, listing(&format), out))
        }
        Command::Explore(ExploreCommand::Search(request)) => {
            let store = backend.reader()?;
            let token = CancellationToken::new();
            write_stdout(|out| {
                search::search(
                    &store,
                    search::ProjectionSource::OnDemand,
                    &request,
                    &token,
                    out,
                )
            })
        }
        Command::Explore(command) => {
            let store = backend.reader()?;
            let token = CancellationToken::new();
            let work = |out: &mut dyn std::io::Write| {
                run_within(command.timeout(), &token, || {
                    let projection = explore::projection_until(&store, &token)?;
                    let outcome = explore::run(&store, &projection, &command, &token, out);
                    // The process ends after this one command: freeing a
                    // projection piece by piece would only delay its exit.
                    std::mem::forget(projection);
                    outcome
                })
            };
            match command {
                // A drawing stopped or failed half-way leaves no half file.
                ExploreCommand::Export(_) => write_stdout_whole(work),
                _ => write_stdout(work),
            }
        }
        Command::Serve(settings) => {
            let access = if settings.read_write {
                Access::Write
            } else {
                Access::Read
            };
            if settings.read_write && matches!(backend, Backend::Remote { .. }) {
                return Err(storygraph::Error::Usage(
                    "serve --read-write works on a local store only; against a remote store, serve reads its local copy (drop --read-write) and writes go to the remote itself".into(),
                ));
            }
            crate::serve::serve(backend.open(access)?, &settings)
        }
        Command::Dump { format, output } => {
            sparql::dump(&backend.reader()?, format, output.as_deref())
        }
    }
}

/// The store opened to read, or none when there is none yet (`prompt`
/// and `extract` work without one).
fn existing_store(path: Option<PathBuf>, memory: bool) -> Result<Option<GraphStore>> {
    if memory {
        return Ok(None);
    }
    let path = path.unwrap_or_else(default_store_path);
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(GraphStore::open_read_only(&path)?))
}
