//! Dispatch: open the store a command needs and hand the command to its
//! function in `commands` (or to the shell). Nothing else.

use std::path::PathBuf;

use storygraph::deadline::{run_within, CancellationToken};
use storygraph::render::ListingFormat;
use storygraph::store::{GraphStore, QueryOptions};
use storygraph::Result;

use crate::args::{Args, Command, ExploreCommand, ListingArgs, ShellArgs};
use crate::commands::{explore, extract, ingest, listings, merge, remove, search, sparql};
use crate::outcome::{write_stdout, write_stdout_whole, Outcome};

pub fn run(args: Args) -> Result<Outcome> {
    let Some(command) = args.command else {
        let store = open_store(args.store, args.memory, Access::Write)?;
        return crate::shell::run(store, &ShellArgs::default());
    };
    // Commands that only read open the store read-only: never created,
    // shared with other readers, usable on a full or read-only disk.
    let store = || open_store(args.store.clone(), args.memory, Access::Write);
    let reader = || open_store(args.store.clone(), args.memory, Access::Read);
    let listing = |args: &ListingArgs| args.format.unwrap_or(ListingFormat::Table);
    match command {
        Command::Schema => write_stdout(listings::schema),
        Command::Prompt(request) => {
            let store = existing_store(args.store, args.memory)?;
            write_stdout(|out| extract::print_prompt(store.as_ref(), &request, out))
        }
        Command::Extract(request) => {
            let store = existing_store(args.store.clone(), args.memory)?;
            extract::extract(store, &request, || {
                open_store(args.store, args.memory, Access::Write)
            })
        }
        Command::Shell(shell) => crate::shell::run(store()?, &shell),
        Command::Ingest(request) => written(store()?, |s| ingest::ingest_files(s, &request)),
        Command::Remove(request) => written(store()?, |s| remove::remove_articles(s, &request)),
        Command::Merge(request) => written(store()?, |s| {
            let projection = explore::projection(s)?;
            merge::merge(s, &projection, &request)
        }),
        Command::Unmerge(request) => written(store()?, |s| merge::unmerge(s, &request)),
        Command::Query {
            query,
            file,
            format,
            default_graph_only,
            timeout,
        } => {
            let text = sparql::text_argument(query, file, "query")?;
            sparql::check_text(&text)?;
            let options = QueryOptions {
                default_graph_only,
                ..QueryOptions::default()
            };
            sparql::query(&reader()?, &text, format, options, timeout)
        }
        Command::Update {
            update,
            file,
            timeout,
        } => {
            let text = sparql::text_argument(update, file, "update")?;
            sparql::check_text(&text)?;
            written(store()?, |s| sparql::update(s, &text, timeout))
        }
        Command::Stats(format) => {
            let store = reader()?;
            write_stdout(|out| listings::stats(&store, listing(&format), out))
        }
        Command::Articles(format) => {
            let store = reader()?;
            write_stdout(|out| listings::articles(&store, listing(&format), out))
        }
        Command::Explore(ExploreCommand::Search(request)) => {
            let store = reader()?;
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
            let store = reader()?;
            let token = CancellationToken::new();
            let work = |out: &mut dyn std::io::Write| {
                run_within(command.timeout(), &token, || {
                    let projection = explore::projection_until(&store, &token)?;
                    explore::run(&store, &projection, &command, &token, out)
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
            crate::serve::serve(open_store(args.store, args.memory, access)?, &settings)
        }
        Command::Dump { format, output } => sparql::dump(&reader()?, format, output.as_deref()),
    }
}

/// Runs a command that writes, then brings the store's search index up
/// to date if it has one (whatever the command's outcome: a stream that
/// stopped half-way wrote its first part).
fn written(
    store: GraphStore,
    write: impl FnOnce(&GraphStore) -> Result<Outcome>,
) -> Result<Outcome> {
    let outcome = write(&store);
    search::refresh_after_write(&store);
    outcome
}

/// The default store: `STORYGRAPH_STORE` (read by clap), else the platform's
/// data directory (`~/.local/share/storygraph/store` on Linux).
fn default_store_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("storygraph")
        .join("store")
}

/// What a command does with the store.
#[derive(Clone, Copy)]
enum Access {
    Read,
    Write,
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

fn open_store(path: Option<PathBuf>, memory: bool, access: Access) -> Result<GraphStore> {
    if memory {
        return Ok(GraphStore::memory()?);
    }
    let path = path.unwrap_or_else(default_store_path);
    Ok(match access {
        Access::Read => GraphStore::open_read_only(&path)?,
        Access::Write => GraphStore::open(&path)?,
    })
}
