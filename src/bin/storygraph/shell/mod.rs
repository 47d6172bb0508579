//! The shell: SPARQL and dot-commands at a prompt (rustyline), or from a
//! script (`-c`, stdin, `.read`). A thin face like the CLI: every command
//! calls the same library and `commands` functions as its CLI
//! subcommand. What it adds is state kept across statements: the path
//! projection (built once, in the background at the prompt), the names
//! completion knows, session prefixes, the output format and file.

mod commands;
mod complete;
mod execute;
mod helper;
mod highlight;
mod history;
mod run;
mod statement;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use oxigraph::sparql::CancellationToken;
use storygraph::graph::Projection;
use storygraph::render::ResultsFormat;
use storygraph::store::GraphStore;
use storygraph::{Error, Result};

use crate::args::ShellArgs;
use crate::backend::{Access, ShellReopen};
use crate::outcome::{write_whole, Outcome};
use helper::Shared;

/// Runs the shell: at a prompt when stdin is a terminal and no `-c` was
/// given, otherwise as a script.
pub fn run(
    (store, reopen): (GraphStore, Option<ShellReopen>),
    args: &ShellArgs,
) -> Result<Outcome> {
    let interactive = args.commands.is_empty() && io::stdin().is_terminal();
    let mut session = Session::new(store, reopen, args, interactive)?;
    if interactive {
        run::prompt(&mut session)
    } else if args.commands.is_empty() {
        let text = io::read_to_string(io::stdin())
            .map_err(|e| Error::io("cannot read the script from stdin", e))?;
        Ok(run::script(&mut session, &[&text], "stdin"))
    } else {
        let commands: Vec<&str> = args.commands.iter().map(String::as_str).collect();
        Ok(run::script(&mut session, &commands, "-c"))
    }
}

/// A projection being built in a background thread, and how to stop it.
struct Build {
    thread: JoinHandle<Result<Projection>>,
    stop: CancellationToken,
}

/// The path projection, built once and kept until the store changes.
struct ProjectionCache {
    ready: Option<Arc<Projection>>,
    pending: Option<Build>,
    /// Builds made useless by a change, told to stop; joined at the end so
    /// that no thread reads the store while the process exits.
    abandoned: Vec<Build>,
}

impl ProjectionCache {
    fn empty() -> ProjectionCache {
        ProjectionCache {
            ready: None,
            pending: None,
            abandoned: Vec::new(),
        }
    }

    /// Starts building in the background (the prompt stays responsive; the
    /// first path command waits for this build rather than starting one).
    fn build_in_background(&mut self, store: &GraphStore) {
        let store = store.clone();
        let stop = CancellationToken::new();
        let flag = stop.clone();
        self.ready = None;
        let thread =
            std::thread::spawn(move || Projection::build_until(&store, &flag).map_err(Error::from));
        self.pending = Some(Build { thread, stop });
    }

    fn get(&mut self, store: &GraphStore) -> Result<Arc<Projection>> {
        if let Some(pending) = self.pending.take() {
            let built = pending
                .thread
                .join()
                .map_err(|_| Error::Usage("building the path projection failed".to_owned()))??;
            self.ready = Some(Arc::new(built));
        }
        if self.ready.is_none() {
            self.ready = Some(Arc::new(crate::commands::explore::projection(store)?));
        }
        Ok(self.ready.clone().expect("set above"))
    }

    fn invalidate(&mut self) {
        // A build still running sees the old store: stop it.
        if let Some(pending) = self.pending.take() {
            pending.stop.cancel();
            self.abandoned.push(pending);
        }
        self.ready = None;
    }

    /// Stops and joins every background build.
    fn finish(&mut self) {
        self.invalidate();
        for build in self.abandoned.drain(..) {
            let _ = build.thread.join();
        }
    }
}

/// Where results go: stdout, or the file of `.output FILE`.
enum Output {
    Stdout,
    File {
        path: PathBuf,
        file: BufWriter<std::fs::File>,
    },
}

/// A statement's effect on the session loop.
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue(Outcome),
    Quit,
}

struct Session {
    store: GraphStore,
    /// While the store is open read-only: how to open it for writing.
    reopen: Option<ShellReopen>,
    projection: ProjectionCache,
    shared: Shared,
    /// `.format`; unset: table on a terminal, TSV (Turtle for graphs) otherwise.
    format: Option<ResultsFormat>,
    output: Output,
    timer: bool,
    limit: Option<usize>,
    /// `.timeout`: SPARQL statements are stopped after this long.
    timeout: Option<std::time::Duration>,
    interactive: bool,
    keep_going: bool,
    /// The token of the query running now, for the Ctrl-C handler.
    running: Arc<Mutex<Option<CancellationToken>>>,
    /// Set by Ctrl-C since the prompt last read a line: a query that
    /// starts after the key was pressed is cancelled at once.
    interrupted: Arc<AtomicBool>,
}

impl Session {
    fn new(
        store: GraphStore,
        reopen: Option<ShellReopen>,
        args: &ShellArgs,
        interactive: bool,
    ) -> Result<Session> {
        let mut session = Session {
            store,
            reopen,
            projection: ProjectionCache::empty(),
            shared: Shared {
                names: complete::NamesCell::default(),
                prefixes: Arc::default(),
            },
            format: args.format,
            output: Output::Stdout,
            timer: interactive,
            limit: interactive.then_some(100),
            timeout: None,
            interactive,
            keep_going: args.keep_going,
            running: Arc::default(),
            interrupted: Arc::default(),
        };
        // Names and paths start loading as after a change.
        session.store_changed()?;
        Ok(session)
    }

    /// Ends the session: background work is stopped and waited for, so no
    /// thread reads the store while the process exits.
    fn finish(&mut self) {
        self.projection.finish();
        self.shared.names.join();
    }

    /// Whether results are written for a person (tables, colours).
    fn output_is_terminal(&self) -> bool {
        matches!(self.output, Output::Stdout) && io::stdout().is_terminal()
    }

    /// At the start and after the store changed: names and paths loaded in
    /// the background at the prompt; in a script, when first asked for.
    fn store_changed(&mut self) -> Result<()> {
        self.projection.invalidate();
        if self.interactive {
            self.shared.names.load_in_background(&self.store);
            self.projection.build_in_background(&self.store);
        } else {
            self.shared.names.load_when_asked(&self.store);
        }
        Ok(())
    }

    /// Before a write: no build of the projection left running (in this
    /// process nothing else keeps one from reading the write's new
    /// generation before its data, and labelling an image or snapshot of
    /// the old data with it), and the store opened for writing if it was
    /// read-only. Every clone of the read-only handle (the projection and
    /// its fallback, the names, background work) goes first: its shared
    /// lock would keep the writer's out. The write's own `store_changed`
    /// starts the next build.
    fn writable(&mut self) -> Result<()> {
        self.projection.finish();
        let Some(reopen) = self.reopen.take() else {
            return Ok(());
        };
        self.shared.names.join();
        self.shared.names.forget();
        drop(std::mem::replace(&mut self.store, GraphStore::memory()?));
        match reopen.open(Access::Write) {
            Ok(store) => {
                self.store = store;
                // Read if asked before the write's `store_changed` (a
                // write that failed early may not get there).
                self.shared.names.load_when_asked(&self.store);
                Ok(())
            }
            Err(e) => {
                // Back to reading, so the session goes on.
                self.store = reopen.open(Access::Read)?;
                self.reopen = Some(reopen);
                self.store_changed()?;
                Err(e)
            }
        }
    }

    /// Runs `write` on the current output and flushes it.
    fn write_output<T>(
        &mut self,
        write: impl FnOnce(&mut Session, &mut dyn Write) -> Result<T>,
    ) -> Result<T> {
        let mut output = std::mem::replace(&mut self.output, Output::Stdout);
        // Each statement's output is spooled and shown only when the
        // statement succeeded: one that fails half-way (an error, a
        // timeout, Ctrl-C) leaves no half table in the output.
        let result = match &mut output {
            Output::Stdout => {
                let stdout = io::stdout();
                write_whole(&mut stdout.lock(), "writing to stdout", |out| {
                    write(self, out)
                })
            }
            Output::File { path, file } => {
                let context = format!("writing {}", path.display());
                write_whole(file, &context, |out| write(self, out))
            }
        };
        self.output = output;
        result
    }
}
